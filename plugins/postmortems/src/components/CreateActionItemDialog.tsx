import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  ActionItem,
  createActionItemRequestSchema,
  Postmortem,
} from '@vitals/plugin-postmortems-common';
import { DEBT_CATEGORIES, DebtCategory } from '@vitals/plugin-tech-debt-common';
import { entityRefLabel } from '@vitals/react';
import { FormEvent, useState } from 'react';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { CATEGORY_LABELS, IMPACT_LABELS } from './format';

interface FormState {
  title: string;
  description: string;
  category: string;
  impact: string;
  effortDays: string;
  dueDate: string;
}

const FIELDS: (keyof FormState)[] = [
  'title',
  'description',
  'category',
  'impact',
  'effortDays',
  'dueDate',
];

/** The body as the API takes it, or what is wrong with each field. */
function parse(state: FormState) {
  const effort = state.effortDays.trim();
  const body = {
    title: state.title.trim(),
    ...(state.description.trim()
      ? { description: state.description.trim() }
      : {}),
    category: state.category as DebtCategory,
    impact: Number(state.impact),
    effortDays: effort === '' ? Number.NaN : Number(effort),
    ...(state.dueDate ? { dueDate: state.dueDate } : {}),
  };
  const errors: Partial<Record<keyof FormState, string>> = {};
  if (!body.title) errors.title = 'A title is required';
  if (!effort || Number.isNaN(body.effortDays)) {
    errors.effortDays = 'How many engineer-days it takes, e.g. 2 or 0.5';
  }
  const result = createActionItemRequestSchema.safeParse(body);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0]) as keyof FormState;
      if (FIELDS.includes(field)) errors[field] ??= issue.message;
    }
  }
  return { body, errors };
}

/**
 * Creates an action item as a new debt item on the affected entity, with what the tech-debt register asks for (title,
 * category, impact 1–5, effort in engineer-days) and when it is due.
 */
export function CreateActionItemDialog(props: {
  postmortem: Postmortem;
  onClose: () => void;
  onCreated: (item: ActionItem) => void;
}) {
  const { postmortem, onClose, onCreated } = props;
  const api = useApi(postmortemsApiRef);
  const [state, setState] = useState<FormState>({
    title: '',
    description: '',
    category: 'code',
    impact: '3',
    effortDays: '',
    dueDate: '',
  });
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const { body, errors } = parse(state);
  const shown = touched ? errors : {};
  const set = (key: keyof FormState) => (e: { target: { value: unknown } }) =>
    setState(s => ({ ...s, [key]: String(e.target.value) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    setSaving(true);
    setServerError(undefined);
    try {
      onCreated(await api.createActionItem(postmortem.id, body));
    } catch (err) {
      const status = statusOfApiError(err);
      setServerError(
        status === 503
          ? `The tech-debt register could not be reached, so nothing was recorded; try again in a moment. (${describeApiError(
              err,
            )})`
          : describeApiError(err),
      );
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>Create an action item</DialogTitle>
        <DialogContent>
          <DialogContentText>
            It becomes a debt item of {entityRefLabel(postmortem.entityRef)} in
            the tech-debt register, linked to incident {postmortem.incidentId},
            and is tracked there.
          </DialogContentText>
          {serverError && <Alert severity="error">{serverError}</Alert>}
          <Grid container spacing={2}>
            <Grid item xs={12}>
              <TextField
                id="action-item-title"
                label="Title"
                value={state.title}
                onChange={set('title')}
                fullWidth
                required
                error={!!shown.title}
                helperText={
                  shown.title ??
                  'The improvement, e.g. "Alert on connection pool saturation"'
                }
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="action-item-description"
                label="Description"
                value={state.description}
                onChange={set('description')}
                fullWidth
                multiline
                minRows={2}
                error={!!shown.description}
                helperText={shown.description}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                select
                id="action-item-category"
                label="Category"
                value={state.category}
                onChange={set('category')}
                fullWidth
                error={!!shown.category}
                helperText={shown.category}
              >
                {DEBT_CATEGORIES.map(c => (
                  <MenuItem key={c} value={c}>
                    {CATEGORY_LABELS[c]}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                select
                id="action-item-impact"
                label="Impact"
                value={state.impact}
                onChange={set('impact')}
                fullWidth
                error={!!shown.impact}
                helperText={shown.impact ?? 'How much it hurts, 1 to 5'}
              >
                {[1, 2, 3, 4, 5].map(n => (
                  <MenuItem key={n} value={String(n)}>
                    {IMPACT_LABELS[n]}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="action-item-effort"
                label="Effort (engineer-days)"
                value={state.effortDays}
                onChange={set('effortDays')}
                fullWidth
                required
                inputProps={{ inputMode: 'decimal' }}
                error={!!shown.effortDays}
                helperText={shown.effortDays ?? 'Required, from 0.1 to 1000'}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="action-item-due-date"
                label="Due date"
                type="date"
                value={state.dueDate}
                onChange={set('dueDate')}
                fullWidth
                InputLabelProps={{ shrink: true }}
                error={!!shown.dueDate}
                helperText={
                  shown.dueDate ??
                  'Empty: the configured number of days from today'
                }
              />
            </Grid>
          </Grid>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            Create debt item
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
