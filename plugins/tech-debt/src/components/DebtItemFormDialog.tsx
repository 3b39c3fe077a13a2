import { describeApiError, statusOfApiError } from '@vitals/common';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  DebtItem,
  computePriority,
  isHttpUrl,
  TECH_DEBT_LIMITS,
} from '@vitals/plugin-tech-debt-common';
import { FormEvent, useState } from 'react';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { CATEGORY_LABELS, IMPACT_LABELS, statusLabel } from './format';

type FormState = {
  title: string;
  description: string;
  category: string;
  impact: string;
  effortDays: string;
  interestHoursPerMonth: string;
  status: string;
  assignee: string;
  trackerUrl: string;
  tags: string;
};

function initialState(item?: DebtItem): FormState {
  return {
    title: item?.title ?? '',
    description: item?.description ?? '',
    category: item?.category ?? 'code',
    impact: String(item?.impact ?? 3),
    effortDays: item ? String(item.effortDays) : '',
    interestHoursPerMonth:
      item?.interestHoursPerMonth === null ||
      item?.interestHoursPerMonth === undefined
        ? ''
        : String(item.interestHoursPerMonth),
    status: item?.status ?? 'open',
    assignee: item?.assignee ?? '',
    trackerUrl: item?.trackerUrl ?? '',
    tags: item?.tags.join(', ') ?? '',
  };
}

const L = TECH_DEBT_LIMITS;

/** Client-side checks that mirror the server's, so most mistakes are caught before a round trip. */
function validate(state: FormState): Partial<Record<keyof FormState, string>> {
  const errors: Partial<Record<keyof FormState, string>> = {};
  if (!state.title.trim()) errors.title = 'A title is required';
  if (state.description.length > L.descriptionLength) {
    errors.description = `The description can have at most ${L.descriptionLength.toLocaleString(
      'en-US',
    )} characters`;
  }
  const effort = Number(state.effortDays);
  if (
    !state.effortDays.trim() ||
    !(effort >= L.minEffortDays && effort <= L.maxEffortDays)
  ) {
    errors.effortDays = `Effort must be a number of days from ${L.minEffortDays} to ${L.maxEffortDays}`;
  }
  if (state.interestHoursPerMonth.trim()) {
    const interest = Number(state.interestHoursPerMonth);
    if (!(interest >= 0 && interest <= L.maxInterestHoursPerMonth)) {
      errors.interestHoursPerMonth = `Interest must be from 0 to ${L.maxInterestHoursPerMonth} hours per month`;
    }
  }
  if (state.trackerUrl.trim() && !isHttpUrl(state.trackerUrl.trim())) {
    errors.trackerUrl = 'The tracker link must be an http(s) URL';
  }
  const tags = state.tags
    .split(',')
    .map(t => t.trim())
    .filter(Boolean);
  if (tags.length > L.tags || tags.some(t => t.length > L.tagLength)) {
    errors.tags = `At most ${L.tags} tags of up to ${L.tagLength} characters each`;
  }
  return errors;
}

export interface DebtItemFormDialogProps {
  open: boolean;
  entityRef: string;
  /** The item to edit; a new item is created when absent. */
  item?: DebtItem;
  onClose: () => void;
  onSaved: (item: DebtItem) => void;
}

/** Add or edit a debt item. Priority is shown as it will be computed, never typed in. */
export function DebtItemFormDialog(props: DebtItemFormDialogProps) {
  const { open, entityRef, item, onClose, onSaved } = props;
  const api = useApi(techDebtApiRef);
  const [state, setState] = useState<FormState>(() => initialState(item));
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const errors = validate(state);
  const set = (key: keyof FormState) => (e: { target: { value: unknown } }) =>
    setState(s => ({ ...s, [key]: String(e.target.value) }));
  // Shown only for numbers the server accepts, so the preview is always the finite figure that will be stored.
  const previewPriority =
    errors.effortDays || errors.interestHoursPerMonth
      ? undefined
      : computePriority({
          impact: Number(state.impact),
          effortDays: Number(state.effortDays),
          interestHoursPerMonth: Number(state.interestHoursPerMonth) || 0,
        });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    setSaving(true);
    setServerError(undefined);
    const fields = {
      title: state.title.trim(),
      description: state.description,
      category: state.category as DebtItem['category'],
      impact: Number(state.impact),
      effortDays: Number(state.effortDays),
      interestHoursPerMonth: state.interestHoursPerMonth.trim()
        ? Number(state.interestHoursPerMonth)
        : null,
      status: state.status as DebtItem['status'],
      assignee: state.assignee.trim() || null,
      trackerUrl: state.trackerUrl.trim() || null,
      tags: state.tags
        .split(',')
        .map(t => t.trim())
        .filter(Boolean),
    };
    try {
      const saved = item
        ? await api.updateItem(item.id, { ...fields, version: item.version })
        : await api.createItem({ entityRef, ...fields });
      onSaved(saved);
    } catch (e) {
      const error = e;
      setServerError(
        statusOfApiError(error) === 409
          ? 'Someone else changed this item while you were editing. Close this form, reload the item and make your change again.'
          : describeApiError(error),
      );
    } finally {
      setSaving(false);
    }
  };

  const fieldError = (key: keyof FormState) =>
    touched && errors[key] ? { error: true, helperText: errors[key] } : {};

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="debt-item-form-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="debt-item-form-title">
          {item ? `Edit “${item.title}”` : 'Add a debt item'}
        </DialogTitle>
        <DialogContent>
          {serverError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              {serverError}
            </Alert>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12}>
              <TextField
                id="debt-title"
                label="Title"
                value={state.title}
                onChange={set('title')}
                required
                fullWidth
                inputProps={{ maxLength: 200 }}
                {...fieldError('title')}
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="debt-description"
                label="Description (markdown)"
                value={state.description}
                onChange={set('description')}
                fullWidth
                multiline
                minRows={4}
                {...fieldError('description')}
              />
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                select
                id="debt-category"
                label="Category"
                value={state.category}
                onChange={set('category')}
                fullWidth
                SelectProps={{ inputProps: { 'aria-label': 'Category' } }}
              >
                {DEBT_CATEGORIES.map(c => (
                  <MenuItem key={c} value={c}>
                    {CATEGORY_LABELS[c]}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                select
                id="debt-impact"
                label="Impact"
                value={state.impact}
                onChange={set('impact')}
                fullWidth
                SelectProps={{ inputProps: { 'aria-label': 'Impact' } }}
              >
                {[1, 2, 3, 4, 5].map(i => (
                  <MenuItem key={i} value={String(i)}>
                    {IMPACT_LABELS[i]}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                id="debt-effort"
                label="Effort (ideal days)"
                value={state.effortDays}
                onChange={set('effortDays')}
                required
                fullWidth
                inputProps={{ inputMode: 'decimal' }}
                {...fieldError('effortDays')}
              />
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                id="debt-interest"
                label="Interest (hours lost / month)"
                value={state.interestHoursPerMonth}
                onChange={set('interestHoursPerMonth')}
                fullWidth
                inputProps={{ inputMode: 'decimal' }}
                {...fieldError('interestHoursPerMonth')}
              />
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                select
                id="debt-status"
                label="Status"
                value={state.status}
                onChange={set('status')}
                fullWidth
                SelectProps={{ inputProps: { 'aria-label': 'Status' } }}
              >
                {DEBT_STATUSES.map(s => (
                  <MenuItem key={s} value={s}>
                    {statusLabel(s)}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                id="debt-assignee"
                label="Assignee (user)"
                placeholder="user:default/jane"
                value={state.assignee}
                onChange={set('assignee')}
                fullWidth
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="debt-tracker"
                label="Tracker link"
                placeholder="https://…"
                value={state.trackerUrl}
                onChange={set('trackerUrl')}
                fullWidth
                {...fieldError('trackerUrl')}
              />
            </Grid>
            <Grid item xs={12} sm={8}>
              <TextField
                id="debt-tags"
                label="Tags (comma separated)"
                value={state.tags}
                onChange={set('tags')}
                fullWidth
                {...fieldError('tags')}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <TextField
                id="debt-priority"
                label="Priority (derived)"
                value={previewPriority ?? '—'}
                fullWidth
                disabled
                helperText="(impact + interest h ÷ 8) ÷ effort days"
              />
            </Grid>
          </Grid>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            {saving && 'Saving…'}
            {!saving && (item ? 'Save changes' : 'Add item')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
