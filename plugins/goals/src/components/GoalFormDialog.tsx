import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  IconButton,
  ListSubheader,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  CreateGoalRequest,
  createGoalRequestSchema,
  DIRECTIONS,
  FIGURE_CATALOGUE,
  FIGURE_SOURCES,
  figureDescriptorSchema,
  FigureScopeKind,
  FigureSource,
  findFigureSpec,
  Goal,
  GoalDetail,
  GOALS_LIMITS,
  KeyResultInput,
  UpdateGoalRequest,
  updateGoalRequestSchema,
} from '@vitals/plugin-goals-common';
import { formatDateTime } from '@vitals/react';
import { FormEvent, useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';
import { FigurePreviewPanel } from './FigurePreviewPanel';
import { directionLabel, ownerLabel } from './format';
import { useGoalEditPermission } from './permissions';
import type { TeamOption } from './useTeams';
import { FormIssue, issuesByPath } from './zodIssues';

const SOURCE_LABELS: Record<FigureSource, string> = {
  dora: 'DORA',
  flow: 'Flow',
  scorecards: 'Scorecards',
  ownership: 'Ownership',
  onboarding: 'Onboarding',
  'tech-debt': 'Tech debt',
  postmortems: 'Postmortems',
  manual: 'Manual (typed in)',
};

const SCOPE_LABELS: Record<FigureScopeKind, string> = {
  entity: 'An entity',
  team: 'A team (with its child teams)',
  org: 'The whole org',
};

/** The org's goals have no owner; the select needs a value for them. */
const ORG = 'org';

interface KeyResultState {
  id?: string;
  title: string;
  /** `source/metric` */
  figure: string;
  scopeKind: FigureScopeKind;
  scopeRef: string;
  params: Record<string, string>;
  target: string;
  direction: '' | 'up' | 'down';
  baseline: string;
  current: string;
}

interface FormState {
  objective: string;
  description: string;
  owner: string;
  period: string;
  keyResults: KeyResultState[];
}

function newKeyResult(owner: string): KeyResultState {
  return {
    title: '',
    figure: 'dora/leadTimeForChanges',
    scopeKind: owner === ORG ? 'org' : 'team',
    scopeRef: owner === ORG ? '' : owner,
    params: {},
    target: '',
    direction: '',
    baseline: '',
    current: '',
  };
}

function initialState(
  goal: Goal | undefined,
  defaults: { owner: string; period: string },
): FormState {
  if (!goal) {
    return {
      objective: '',
      description: '',
      owner: defaults.owner,
      period: defaults.period,
      keyResults: [newKeyResult(defaults.owner)],
    };
  }
  return {
    objective: goal.objective,
    description: goal.description,
    owner: goal.ownerRef ?? ORG,
    period: goal.period,
    keyResults: goal.keyResults.map(kr => ({
      id: kr.id,
      title: kr.title,
      figure: `${kr.figure.source}/${kr.figure.metric}`,
      scopeKind: kr.figure.scope.kind,
      scopeRef: kr.figure.scope.ref ?? '',
      params: Object.fromEntries(
        Object.entries(kr.figure.params ?? {}).map(([k, v]) => [k, String(v)]),
      ),
      target: String(kr.target),
      direction: kr.direction,
      // A manual key result's baseline stays what it was unless edited; a bound one's is read, never typed.
      baseline: kr.manual && kr.baseline !== null ? String(kr.baseline) : '',
      current: '',
    })),
  };
}

/** A typed number, or NaN for something that is not one (so the schema names the field). */
function toNumber(text: string): number {
  return text.trim() === '' ? NaN : Number(text.trim());
}

function keyResultInput(kr: KeyResultState): KeyResultInput {
  const [source, metric] = kr.figure.split('/');
  const spec = findFigureSpec(source, metric);
  const params: Record<string, string | number> = {};
  for (const p of spec?.params ?? []) {
    const value = kr.params[p.name]?.trim();
    if (!value) continue;
    params[p.name] = p.name === 'windowDays' ? Number(value) : value;
  }
  const manual = source === 'manual';
  return {
    ...(kr.id ? { id: kr.id } : {}),
    title: kr.title,
    figure: {
      source: source as FigureSource,
      metric,
      scope:
        kr.scopeKind === 'org'
          ? { kind: 'org' }
          : { kind: kr.scopeKind, ref: kr.scopeRef.trim() },
      ...(Object.keys(params).length ? { params } : {}),
    },
    target: toNumber(kr.target),
    ...(kr.direction ? { direction: kr.direction } : {}),
    ...(manual ? { baseline: toNumber(kr.baseline) } : {}),
    ...(manual && kr.current.trim() ? { current: toNumber(kr.current) } : {}),
  };
}

/** The request the form would send, and the problems the shared zod schemas find in it, keyed by field. */
function check(state: FormState, goal: Goal | undefined, version: number) {
  const keyResults = state.keyResults.map(keyResultInput);
  const request = goal
    ? {
        version,
        objective: state.objective,
        description: state.description,
        keyResults,
      }
    : {
        objective: state.objective,
        description: state.description,
        ...(state.owner !== ORG ? { ownerRef: state.owner } : {}),
        period: state.period,
        keyResults,
      };
  const result = goal
    ? updateGoalRequestSchema.safeParse(request)
    : createGoalRequestSchema.safeParse(request);
  return {
    request,
    errors: result.success
      ? {}
      : issuesByPath(result.error.issues as unknown as FormIssue[]),
  };
}

/** Whether a key result's figure is complete enough to preview, as the schema decides. */
function previewable(kr: KeyResultState) {
  if (kr.figure.startsWith('manual/')) return undefined;
  const parsed = figureDescriptorSchema.safeParse(keyResultInput(kr).figure);
  return parsed.success ? parsed.data : undefined;
}

export interface GoalFormDialogProps {
  open: boolean;
  /** The goal to edit; a new one is created when absent. */
  goal?: Goal;
  teams: TeamOption[];
  defaultOwner: string | null;
  defaultPeriod: string;
  periods: string[];
  onClose: () => void;
  onSaved: (goal: GoalDetail) => void;
}

/**
 * Create or edit a goal: its objective, owner and period, and key results bound to figures from the catalogue (or
 * manual), each with a live preview of its value and the baseline it would record. Checked with the shared zod schemas
 * before it is sent, with the message beside the field; a stale edit (409) keeps what was typed.
 */
export function GoalFormDialog(props: GoalFormDialogProps) {
  const { open, goal, onClose, onSaved } = props;
  const api = useApi(goalsApiRef);
  const [state, setState] = useState<FormState>(() =>
    initialState(goal, {
      owner: props.defaultOwner ?? ORG,
      period: props.defaultPeriod,
    }),
  );
  // The version the next save is based on: the goal's, or a newer one the editor chose to overwrite after a 409.
  const [version, setVersion] = useState(goal?.version ?? 1);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [conflict, setConflict] = useState<{
    latest?: GoalDetail;
    error?: string;
  }>();
  const permission = useGoalEditPermission(
    state.owner === ORG ? null : state.owner,
  );

  const { errors } = check(state, goal, version);
  const errorOf = (path: string) =>
    touched && errors[path] ? { error: true, helperText: errors[path] } : {};

  const set =
    (key: 'objective' | 'description' | 'period') =>
    (e: { target: { value: unknown } }) =>
      setState(s => ({ ...s, [key]: String(e.target.value) }));
  const setOwner = (owner: string) =>
    setState(s => ({
      ...s,
      owner,
      // Key results still measuring the previous owner follow the new one.
      keyResults: s.keyResults.map(kr => {
        const followsOwner =
          kr.scopeKind === 'team' && (kr.scopeRef === s.owner || !kr.scopeRef);
        if (!followsOwner) return kr;
        if (owner === ORG) return { ...kr, scopeKind: 'org', scopeRef: '' };
        return { ...kr, scopeRef: owner };
      }),
    }));
  const setKr = (index: number, patch: Partial<KeyResultState>) =>
    setState(s => ({
      ...s,
      keyResults: s.keyResults.map((kr, i) =>
        i === index ? { ...kr, ...patch } : kr,
      ),
    }));
  const chooseFigure = (index: number, figure: string) => {
    const [source, metric] = figure.split('/');
    const spec = findFigureSpec(source, metric);
    // The select's area headings are not figures.
    if (!spec) return;
    const kr = state.keyResults[index];
    const scopeKind = spec.scopes.includes(kr.scopeKind)
      ? kr.scopeKind
      : spec.scopes[0];
    let scopeRef = '';
    if (scopeKind === kr.scopeKind) scopeRef = kr.scopeRef;
    else if (scopeKind === 'team' && state.owner !== ORG)
      scopeRef = state.owner;
    setKr(index, {
      figure,
      params: {},
      scopeKind,
      scopeRef: scopeKind === 'org' ? '' : scopeRef,
    });
  };

  const submit = async (event?: FormEvent, overVersion?: number) => {
    event?.preventDefault();
    setTouched(true);
    const basedOn = overVersion ?? version;
    const { request: body, errors: problems } = check(state, goal, basedOn);
    if (Object.keys(problems).length) return;
    setSaving(true);
    setServerError(undefined);
    try {
      const saved = goal
        ? await api.updateGoal(goal.id, body as UpdateGoalRequest)
        : await api.createGoal(body as CreateGoalRequest);
      onSaved(saved);
    } catch (e) {
      if (goal && statusOfApiError(e) === 409) {
        setConflict({});
        api
          .getGoal(goal.id)
          .then(latest => setConflict({ latest }))
          .catch(err => setConflict({ error: describeApiError(err) }));
      } else {
        setServerError(describeApiError(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const saveOverTheirs = () => {
    if (!conflict?.latest) return;
    const latestVersion = conflict.latest.version;
    setVersion(latestVersion);
    setConflict(undefined);
    submit(undefined, latestVersion);
  };

  const fixedOwner = Boolean(goal);
  // A team the catalog did not list (or not yet) is still offered when it is the goal's.
  const ownerMissing =
    state.owner !== ORG && !props.teams.some(t => t.ref === state.owner);
  const teamOptions = ownerMissing
    ? [{ ref: state.owner, title: ownerLabel(state.owner) }, ...props.teams]
    : props.teams;
  const unknownIssues = Object.entries(errors).filter(
    ([path]) => path === '' || path === 'keyResults',
  );

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="goal-form-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="goal-form-title">
          {goal ? `Edit “${goal.objective}”` : 'New goal'}
        </DialogTitle>
        <DialogContent>
          {conflict && (
            <Alert severity="warning" style={{ marginBottom: 16 }} role="alert">
              <Typography variant="body2" gutterBottom>
                <strong>
                  Someone else saved this goal while you were editing.
                </strong>{' '}
                Your changes are still here and have not been saved.
              </Typography>
              {conflict.latest && (
                <>
                  <Typography variant="body2" gutterBottom>
                    Their version (saved by {conflict.latest.updatedBy} on{' '}
                    {formatDateTime(conflict.latest.updatedAt)}): “
                    {conflict.latest.objective}”, key results:{' '}
                    {conflict.latest.keyResults
                      .map(kr => `${kr.title} (target ${kr.target})`)
                      .join('; ')}
                    .
                  </Typography>
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={saveOverTheirs}
                  >
                    Save my version over theirs
                  </Button>{' '}
                  <Button size="small" onClick={onClose}>
                    Discard my changes
                  </Button>
                </>
              )}
              {conflict.error && (
                <Typography variant="body2">
                  Their version could not be loaded: {conflict.error}
                </Typography>
              )}
            </Alert>
          )}
          {serverError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              {serverError}
            </Alert>
          )}
          {touched && unknownIssues.length > 0 && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              {unknownIssues.map(([path, message]) => (
                <div key={path}>
                  {path ? `${path}: ` : ''}
                  {message}
                </div>
              ))}
            </Alert>
          )}
          {!permission.loading && !permission.allowed && (
            <Alert severity="info" style={{ marginBottom: 16 }}>
              {state.owner === ORG
                ? 'Only the admins can set the org’s goals.'
                : `Only the members of ${ownerLabel(
                    state.owner,
                  )} and the admins can set its goals.`}
            </Alert>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12}>
              <TextField
                id="goal-objective"
                label="Objective"
                value={state.objective}
                onChange={set('objective')}
                required
                fullWidth
                inputProps={{ maxLength: GOALS_LIMITS.objectiveLength }}
                {...errorOf('objective')}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                select
                id="goal-owner"
                label="Team"
                value={state.owner}
                onChange={e => setOwner(String(e.target.value))}
                fullWidth
                disabled={fixedOwner}
                SelectProps={{ inputProps: { 'aria-label': 'Team' } }}
                {...errorOf('ownerRef')}
              >
                <MenuItem value={ORG}>The org (no team)</MenuItem>
                {teamOptions.map(t => (
                  <MenuItem key={t.ref} value={t.ref}>
                    {t.title}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                select
                id="goal-period"
                label="Period"
                value={state.period}
                onChange={set('period')}
                fullWidth
                disabled={fixedOwner}
                SelectProps={{ inputProps: { 'aria-label': 'Period' } }}
                {...errorOf('period')}
              >
                {Array.from(new Set([state.period, ...props.periods])).map(
                  p => (
                    <MenuItem key={p} value={p}>
                      {p}
                    </MenuItem>
                  ),
                )}
              </TextField>
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="goal-description"
                label="Description"
                value={state.description}
                onChange={set('description')}
                fullWidth
                multiline
                minRows={2}
                {...errorOf('description')}
              />
            </Grid>
          </Grid>
          <Typography variant="h6" style={{ marginTop: 24 }}>
            Key results
          </Typography>
          {touched && errors.keyResults && (
            <Typography color="error" variant="body2">
              {errors.keyResults}
            </Typography>
          )}
          {state.keyResults.map((kr, index) => (
            <KeyResultFields
              key={kr.id ?? `new-${index}`}
              index={index}
              kr={kr}
              period={state.period}
              errorOf={errorOf}
              onChange={patch => setKr(index, patch)}
              onFigure={figure => chooseFigure(index, figure)}
              onRemove={
                state.keyResults.length > 1
                  ? () =>
                      setState(s => ({
                        ...s,
                        keyResults: s.keyResults.filter((_, i) => i !== index),
                      }))
                  : undefined
              }
            />
          ))}
          {state.keyResults.length < GOALS_LIMITS.keyResults && (
            <Button
              onClick={() =>
                setState(s => ({
                  ...s,
                  keyResults: [...s.keyResults, newKeyResult(s.owner)],
                }))
              }
            >
              Add a key result
            </Button>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving || !permission.allowed || Boolean(conflict)}
          >
            {saving && 'Saving…'}
            {!saving && (goal ? 'Save changes' : 'Create goal')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function KeyResultFields(props: {
  index: number;
  kr: KeyResultState;
  period: string;
  errorOf: (path: string) => { error?: boolean; helperText?: string };
  onChange: (patch: Partial<KeyResultState>) => void;
  onFigure: (figure: string) => void;
  onRemove?: () => void;
}) {
  const { index, kr, errorOf, onChange } = props;
  const n = index + 1;
  const path = (p: string) => `keyResults.${index}.${p}`;
  const [source, metric] = kr.figure.split('/');
  const spec = findFigureSpec(source, metric);
  const manual = source === 'manual';
  const figure = previewable(kr);
  return (
    <Box
      component="fieldset"
      mt={2}
      p={2}
      border="1px solid rgba(128,128,128,0.3)"
      borderRadius={4}
      aria-label={`Key result ${n}`}
    >
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="subtitle1" component="legend">
          Key result {n}
        </Typography>
        {props.onRemove && (
          <IconButton
            size="small"
            aria-label={`Remove key result ${n}`}
            onClick={props.onRemove}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <TextField
            id={`kr-${index}-title`}
            label={`Key result ${n} title`}
            value={kr.title}
            onChange={e => onChange({ title: e.target.value })}
            required
            fullWidth
            {...errorOf(path('title'))}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            select
            id={`kr-${index}-figure`}
            label="Figure"
            value={kr.figure}
            onChange={e => props.onFigure(String(e.target.value))}
            fullWidth
            SelectProps={{
              inputProps: { 'aria-label': `Key result ${n} figure` },
            }}
            helperText={spec?.description}
            {...errorOf(path('figure.metric'))}
          >
            {FIGURE_SOURCES.flatMap(s => [
              <ListSubheader key={`h-${s}`}>{SOURCE_LABELS[s]}</ListSubheader>,
              ...FIGURE_CATALOGUE.filter(f => f.source === s).map(f => (
                <MenuItem
                  key={`${f.source}/${f.metric}`}
                  value={`${f.source}/${f.metric}`}
                >
                  {f.label} ({f.unit})
                </MenuItem>
              )),
            ])}
          </TextField>
        </Grid>
        <Grid item xs={12} sm={3}>
          <TextField
            select
            id={`kr-${index}-scope`}
            label="Measured over"
            value={kr.scopeKind}
            onChange={e =>
              onChange({ scopeKind: e.target.value as FigureScopeKind })
            }
            fullWidth
            SelectProps={{
              inputProps: { 'aria-label': `Key result ${n} scope` },
            }}
            {...errorOf(path('figure.scope.kind'))}
          >
            {(spec?.scopes ?? ['entity', 'team', 'org']).map(k => (
              <MenuItem key={k} value={k}>
                {SCOPE_LABELS[k]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        {kr.scopeKind !== 'org' && (
          <Grid item xs={12} sm={3}>
            <TextField
              id={`kr-${index}-scope-ref`}
              label={kr.scopeKind === 'team' ? 'Team' : 'Entity'}
              placeholder={
                kr.scopeKind === 'team'
                  ? 'group:default/payments'
                  : 'component:default/payments-api'
              }
              value={kr.scopeRef}
              onChange={e => onChange({ scopeRef: e.target.value })}
              fullWidth
              inputProps={{ 'aria-label': `Key result ${n} ${kr.scopeKind}` }}
              {...errorOf(path('figure.scope.ref'))}
            />
          </Grid>
        )}
        {spec?.params.map(p => (
          <Grid item xs={12} sm={4} key={p.name}>
            <TextField
              id={`kr-${index}-param-${p.name}`}
              label={`${p.name}${p.required ? ' *' : ''}`}
              value={kr.params[p.name] ?? ''}
              onChange={e =>
                onChange({ params: { ...kr.params, [p.name]: e.target.value } })
              }
              fullWidth
              inputProps={{ 'aria-label': `Key result ${n} ${p.name}` }}
              {...(errorOf(path(`figure.params.${p.name}`)).error
                ? errorOf(path(`figure.params.${p.name}`))
                : { helperText: p.description })}
            />
          </Grid>
        ))}
        {manual && (
          <>
            <Grid item xs={6} sm={3}>
              <TextField
                id={`kr-${index}-baseline`}
                label="Baseline"
                value={kr.baseline}
                onChange={e => onChange({ baseline: e.target.value })}
                required
                fullWidth
                inputProps={{
                  inputMode: 'decimal',
                  'aria-label': `Key result ${n} baseline`,
                }}
                {...errorOf(path('baseline'))}
              />
            </Grid>
            <Grid item xs={6} sm={3}>
              <TextField
                id={`kr-${index}-current`}
                label="Current value"
                value={kr.current}
                onChange={e => onChange({ current: e.target.value })}
                fullWidth
                inputProps={{
                  inputMode: 'decimal',
                  'aria-label': `Key result ${n} current value`,
                }}
                {...errorOf(path('current'))}
              />
            </Grid>
          </>
        )}
        <Grid item xs={6} sm={3}>
          <TextField
            id={`kr-${index}-target`}
            label={`Target${
              spec
                ? ` (${manual ? kr.params.unit || spec.unit : spec.unit})`
                : ''
            }`}
            value={kr.target}
            onChange={e => onChange({ target: e.target.value })}
            required
            fullWidth
            inputProps={{
              inputMode: 'decimal',
              'aria-label': `Key result ${n} target`,
            }}
            {...errorOf(path('target'))}
          />
        </Grid>
        <Grid item xs={6} sm={3}>
          <TextField
            select
            id={`kr-${index}-direction`}
            label="Direction"
            value={kr.direction}
            onChange={e =>
              onChange({
                direction: e.target.value as KeyResultState['direction'],
              })
            }
            fullWidth
            SelectProps={{
              inputProps: { 'aria-label': `Key result ${n} direction` },
            }}
            {...errorOf(path('direction'))}
          >
            <MenuItem value="">
              The figure’s own (
              {spec ? directionLabel(spec.better).toLowerCase() : '—'})
            </MenuItem>
            {DIRECTIONS.map(d => (
              <MenuItem key={d} value={d}>
                {directionLabel(d)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12}>
          {manual ? (
            <Typography variant="body2" color="textSecondary">
              A manual key result is typed in by an editor and shown as manual
              everywhere; its baseline is the one given here.
            </Typography>
          ) : (
            <FigurePreviewPanel
              figure={figure}
              period={props.period}
              title={kr.title}
            />
          )}
        </Grid>
      </Grid>
    </Box>
  );
}
