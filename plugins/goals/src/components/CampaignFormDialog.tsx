import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  Campaign,
  CampaignDetail,
  CampaignPreview,
  CampaignSelection,
  createCampaignRequestSchema,
  updateCampaignRequestSchema,
} from '@vitals/plugin-goals-common';
import { FormEvent, useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';
import { TeamsTable } from './TeamsTable';
import { FormIssue, issuesByPath } from './zodIssues';

interface FormState {
  name: string;
  description: string;
  /** One `scorecardId/checkId` a line. */
  checks: string;
  owner: string;
  system: string;
  kind: string;
  type: string;
  tag: string;
  scorecardId: string;
  /** Comma separated; `none` is below the lowest level. */
  levels: string;
  deadline: string;
  effort: string;
  reminders: string;
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map(v => v.trim())
    .filter(Boolean);

function initialState(campaign?: Campaign): FormState {
  const s = campaign?.selection ?? {};
  return {
    name: campaign?.name ?? '',
    description: campaign?.description ?? '',
    checks:
      campaign?.checks.map(c => `${c.scorecardId}/${c.checkId}`).join('\n') ??
      '',
    owner: s.owner?.join(', ') ?? '',
    system: s.system?.join(', ') ?? '',
    kind: s.kind?.join(', ') ?? '',
    type: s.type?.join(', ') ?? '',
    tag: s.tag?.join(', ') ?? '',
    scorecardId: s.scorecardLevel?.scorecardId ?? '',
    levels: s.scorecardLevel?.levelIds.map(l => l ?? 'none').join(', ') ?? '',
    deadline: campaign?.deadline ?? '',
    effort:
      campaign?.effortDaysPerEntity === null ||
      campaign?.effortDaysPerEntity === undefined
        ? ''
        : String(campaign.effortDaysPerEntity),
    reminders: (campaign?.reminderDaysBefore ?? [14, 7, 1]).join(', '),
  };
}

function toFields(state: FormState) {
  const selection: CampaignSelection = {};
  const put = (key: 'owner' | 'system' | 'kind' | 'type' | 'tag') => {
    const values = list(state[key]);
    if (values.length) selection[key] = values;
  };
  put('owner');
  put('system');
  put('kind');
  put('type');
  put('tag');
  if (state.scorecardId.trim() || state.levels.trim()) {
    selection.scorecardLevel = {
      scorecardId: state.scorecardId.trim(),
      levelIds: list(state.levels).map(l => (l === 'none' ? null : l)),
    };
  }
  return {
    name: state.name,
    description: state.description,
    checks: list(state.checks).map(line => {
      const [scorecardId, ...rest] = line.split('/');
      return {
        scorecardId: scorecardId.trim(),
        checkId: rest.join('/').trim(),
      };
    }),
    selection,
    deadline: state.deadline,
    effortDaysPerEntity: state.effort.trim() ? Number(state.effort) : null,
    reminderDaysBefore: list(state.reminders).map(Number),
  };
}

/** Paths of the schema's issues mapped to the form's fields. */
function fieldOf(path: string): keyof FormState | '' {
  if (path.startsWith('checks')) return 'checks';
  if (path.startsWith('selection.scorecardLevel.levelIds')) return 'levels';
  if (path.startsWith('selection.scorecardLevel')) return 'scorecardId';
  const m = /^selection\.(owner|system|kind|type|tag)/.exec(path);
  if (m) return m[1] as keyof FormState;
  if (path === 'selection') return 'kind';
  if (path === 'effortDaysPerEntity') return 'effort';
  if (path.startsWith('reminderDaysBefore')) return 'reminders';
  if (['name', 'description', 'deadline'].includes(path)) {
    return path as keyof FormState;
  }
  return '';
}

function check(
  state: FormState,
  campaign: Campaign | undefined,
  version: number,
) {
  const fields = toFields(state);
  const result = campaign
    ? updateCampaignRequestSchema.safeParse({ version, ...fields })
    : createCampaignRequestSchema.safeParse(fields);
  const errors: Partial<Record<keyof FormState | '', string>> = {};
  if (!result.success) {
    for (const [path, message] of Object.entries(
      issuesByPath(result.error.issues as unknown as FormIssue[]),
    )) {
      const field = fieldOf(path);
      if (!errors[field]) {
        errors[field] =
          path === 'selection'
            ? 'Name at least one criterion: owner, system, kind, type, tag or a scorecard level'
            : message;
      }
    }
  }
  return { fields, errors };
}

/**
 * Launch or edit a campaign (admins): the checks it asks, which entities, the deadline, the effort per entity and the
 * reminders, with a preview of the entities selected and each team's capacity before it is saved.
 */
export function CampaignFormDialog(props: {
  open: boolean;
  campaign?: Campaign;
  onClose: () => void;
  onSaved: (campaign: CampaignDetail) => void;
}) {
  const { campaign } = props;
  const api = useApi(goalsApiRef);
  const [state, setState] = useState(() => initialState(campaign));
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [preview, setPreview] = useState<{
    loading: boolean;
    value?: CampaignPreview;
    error?: string;
  }>();
  const { errors } = check(state, campaign, campaign?.version ?? 1);
  const set = (key: keyof FormState) => (e: { target: { value: unknown } }) =>
    setState(s => ({ ...s, [key]: String(e.target.value) }));
  const errorOf = (key: keyof FormState, help?: string) =>
    touched && errors[key]
      ? { error: true, helperText: errors[key] }
      : { helperText: help };

  const runPreview = async () => {
    setTouched(true);
    // The preview takes a launch request: the edited fields are checked as if the campaign were new.
    const { fields, errors: problems } = check(state, undefined, 1);
    if (Object.keys(problems).length) return;
    setPreview({ loading: true });
    try {
      setPreview({ loading: false, value: await api.previewCampaign(fields) });
    } catch (e) {
      setPreview({ loading: false, error: describeApiError(e) });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const { fields, errors: problems } = check(
      state,
      campaign,
      campaign?.version ?? 1,
    );
    if (Object.keys(problems).length) return;
    setSaving(true);
    setServerError(undefined);
    try {
      const saved = campaign
        ? await api.updateCampaign(campaign.id, {
            version: campaign.version,
            ...fields,
          })
        : await api.createCampaign(fields);
      props.onSaved(saved);
    } catch (e) {
      if (statusOfApiError(e) === 409) setConflict(true);
      else setServerError(describeApiError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="campaign-form-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="campaign-form-title">
          {campaign ? `Edit “${campaign.name}”` : 'New campaign'}
        </DialogTitle>
        <DialogContent>
          {conflict && (
            <Alert severity="warning" role="alert" style={{ marginBottom: 16 }}>
              <strong>
                Someone else changed this campaign while you were editing.
              </strong>{' '}
              Your changes are still here and have not been saved: copy what you
              need, close this form and open the campaign again to edit its
              latest version.
            </Alert>
          )}
          {serverError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              {serverError}
            </Alert>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} sm={8}>
              <TextField
                id="campaign-name"
                label="Name"
                value={state.name}
                onChange={set('name')}
                required
                fullWidth
                {...errorOf('name')}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <TextField
                id="campaign-deadline"
                label="Deadline"
                type="date"
                value={state.deadline}
                onChange={set('deadline')}
                required
                fullWidth
                InputLabelProps={{ shrink: true }}
                {...errorOf(
                  'deadline',
                  'The last day (UTC) entities have to pass',
                )}
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="campaign-description"
                label="Description"
                value={state.description}
                onChange={set('description')}
                fullWidth
                multiline
                minRows={2}
                {...errorOf('description')}
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="campaign-checks"
                label="Checks to pass"
                placeholder="production-readiness/has-runbook"
                value={state.checks}
                onChange={set('checks')}
                required
                fullWidth
                multiline
                minRows={2}
                {...errorOf('checks', 'One scorecard/check a line')}
              />
            </Grid>
          </Grid>
          <Typography variant="subtitle1" style={{ marginTop: 16 }}>
            Which entities (every criterion given must hold; commas separate
            alternatives)
          </Typography>
          <Grid container spacing={2}>
            <Grid item xs={12} sm={4}>
              <TextField
                id="campaign-kind"
                label="Kind"
                placeholder="component"
                value={state.kind}
                onChange={set('kind')}
                fullWidth
                {...errorOf('kind')}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <TextField
                id="campaign-type"
                label="Type"
                placeholder="service"
                value={state.type}
                onChange={set('type')}
                fullWidth
                {...errorOf('type')}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <TextField
                id="campaign-tag"
                label="Tag"
                value={state.tag}
                onChange={set('tag')}
                fullWidth
                {...errorOf('tag')}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-owner"
                label="Owner"
                placeholder="group:default/payments"
                value={state.owner}
                onChange={set('owner')}
                fullWidth
                {...errorOf('owner')}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-system"
                label="System"
                placeholder="system:default/payments"
                value={state.system}
                onChange={set('system')}
                fullWidth
                {...errorOf('system')}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-scorecard"
                label="At a level of scorecard"
                value={state.scorecardId}
                onChange={set('scorecardId')}
                fullWidth
                {...errorOf('scorecardId')}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-levels"
                label="Levels"
                placeholder="bronze, none"
                value={state.levels}
                onChange={set('levels')}
                fullWidth
                {...errorOf('levels', '`none` is below the lowest level')}
              />
            </Grid>
          </Grid>
          <Grid container spacing={2} style={{ marginTop: 8 }}>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-effort"
                label="Effort per entity (engineer-days)"
                value={state.effort}
                onChange={set('effort')}
                fullWidth
                inputProps={{ inputMode: 'decimal' }}
                {...errorOf(
                  'effort',
                  'For the capacity check; leave empty when not estimated',
                )}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                id="campaign-reminders"
                label="Remind owners (days before the deadline)"
                value={state.reminders}
                onChange={set('reminders')}
                fullWidth
                {...errorOf('reminders')}
              />
            </Grid>
          </Grid>
          <Box mt={2}>
            <Button
              variant="outlined"
              onClick={runPreview}
              disabled={preview?.loading}
            >
              Preview entities and capacity
            </Button>
          </Box>
          <Box mt={1} role="region" aria-label="Campaign preview">
            {preview?.loading && (
              <Typography variant="body2">Resolving the selection…</Typography>
            )}
            {preview?.error && (
              <Alert severity="error">Could not preview: {preview.error}</Alert>
            )}
            {preview?.value && (
              <>
                <Typography variant="body1" gutterBottom>
                  {preview.value.entities}{' '}
                  {preview.value.entities === 1 ? 'entity' : 'entities'}{' '}
                  selected, {preview.value.done} already done (
                  {preview.value.waived} by waiver),{' '}
                  {preview.value.entities - preview.value.done} to do, across{' '}
                  {preview.value.teams.length}{' '}
                  {preview.value.teams.length === 1 ? 'team' : 'teams'}.
                </Typography>
                {preview.value.teams.some(
                  t => t.capacity.feasible === false,
                ) && (
                  <Alert severity="warning" style={{ marginBottom: 8 }}>
                    The remaining effort does not fit in the debt budget of{' '}
                    {
                      preview.value.teams.filter(
                        t => t.capacity.feasible === false,
                      ).length
                    }{' '}
                    of the teams: move the deadline, lower the ask, or agree
                    more capacity with them.
                  </Alert>
                )}
                {preview.value.teams.length > 0 && (
                  <TeamsTable
                    teams={preview.value.teams}
                    label="Teams of the preview"
                  />
                )}
              </>
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving || conflict}
          >
            {saving && 'Saving…'}
            {!saving && (campaign ? 'Save changes' : 'Launch campaign')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
