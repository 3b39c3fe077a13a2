import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Grid,
  IconButton,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  BlamelessWarning,
  checkPostmortemWording,
  Postmortem,
  POSTMORTEM_STATUS_LABELS,
  POSTMORTEM_TRANSITIONS,
  PostmortemStatus,
  PostmortemTemplate,
  PostmortemTemplateSection,
  TIMELINE_SECTION,
  UpdatePostmortemRequest,
  updatePostmortemRequestSchema,
} from '@vitals/plugin-postmortems-common';
import { useMemo, useRef, useState } from 'react';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { BlamelessHints } from './BlamelessHints';
import { splitRefs } from './refs';
import { isBuiltInText, sectionText } from './sections';
import { fromLocalInput, toLocalInput } from './timelineInput';
import { usePeople } from './usePeople';

interface TimelineRow {
  key: number;
  /** The `datetime-local` value, in the viewer's time zone. */
  at: string;
  text: string;
}

/** What the author is typing: every field as text, so that nothing typed is lost to parsing. */
interface Draft {
  title: string;
  authors: string;
  texts: Record<string, string>;
  timeline: TimelineRow[];
}

let rowKeys = 0;
const nextKey = () => {
  rowKeys += 1;
  return rowKeys;
};

function draftOf(postmortem: Postmortem, template: PostmortemTemplate): Draft {
  const texts: Record<string, string> = {};
  for (const section of template.sections) {
    if (section.kind === 'text')
      texts[section.id] = sectionText(postmortem, section.id);
  }
  return {
    title: postmortem.title,
    authors: postmortem.authors.join(', '),
    texts,
    timeline: postmortem.timeline.map(entry => ({
      key: nextKey(),
      at: toLocalInput(entry.at),
      text: entry.text,
    })),
  };
}

const TITLE = 'title';
const AUTHORS = 'authors';

function fieldsOf(template: PostmortemTemplate): string[] {
  return [TITLE, AUTHORS, ...template.sections.map(s => s.id)];
}

type FieldValue = string | TimelineRow[];

function getField(draft: Draft, field: string): FieldValue {
  if (field === TITLE) return draft.title;
  if (field === AUTHORS) return draft.authors;
  if (field === TIMELINE_SECTION) return draft.timeline;
  return draft.texts[field] ?? '';
}

function putField(draft: Draft, field: string, value: FieldValue): Draft {
  if (field === TITLE) return { ...draft, title: value as string };
  if (field === AUTHORS) return { ...draft, authors: value as string };
  if (field === TIMELINE_SECTION)
    return { ...draft, timeline: value as TimelineRow[] };
  return { ...draft, texts: { ...draft.texts, [field]: value as string } };
}

/** A field's value as the API would store it, to tell what changed. */
function comparable(draft: Draft, field: string): string {
  if (field === TITLE) return draft.title.trim();
  if (field === AUTHORS) return splitRefs(draft.authors).join(',');
  if (field === TIMELINE_SECTION) {
    return JSON.stringify(
      draft.timeline.map(r => [fromLocalInput(r.at) ?? r.at, r.text.trim()]),
    );
  }
  return draft.texts[field] ?? '';
}

/** The PATCH body: the fields that differ from the version the edit is based on, and a status change if asked. */
function buildRequest(
  draft: Draft,
  base: Postmortem,
  template: PostmortemTemplate,
  status?: PostmortemStatus,
): { request: UpdatePostmortemRequest; changed: string[] } {
  const baseDraft = draftOf(base, template);
  const changed = fieldsOf(template).filter(
    f => comparable(draft, f) !== comparable(baseDraft, f),
  );
  const request: Record<string, unknown> = { version: base.version };
  const extra: Record<string, string> = { ...base.extraSections };
  let extraChanged = false;
  for (const field of changed) {
    if (field === TITLE) request.title = draft.title.trim();
    else if (field === AUTHORS) request.authors = splitRefs(draft.authors);
    else if (field === TIMELINE_SECTION) {
      request.timeline = draft.timeline.map(r => ({
        at: fromLocalInput(r.at) ?? r.at,
        text: r.text,
      }));
    } else if (isBuiltInText(field)) request[field] = draft.texts[field];
    else {
      extra[field] = draft.texts[field] ?? '';
      extraChanged = true;
    }
  }
  if (extraChanged) request.extraSections = extra;
  if (status) request.status = status;
  return { request: request as UpdatePostmortemRequest, changed };
}

type Errors = Record<string, string>;

/** What is wrong with the edit, by field (`title`, `authors`, a section id, `timeline.<i>.at`), before it is sent. */
function validate(
  draft: Draft,
  request: UpdatePostmortemRequest,
  template: PostmortemTemplate,
  status?: PostmortemStatus,
): Errors {
  const errors: Errors = {};
  draft.timeline.forEach((row, index) => {
    if (!fromLocalInput(row.at)) {
      errors[`timeline.${index}.at`] = 'Enter when it happened (date and time)';
    }
    if (!row.text.trim())
      errors[`timeline.${index}.text`] = 'Say what happened';
  });
  const parsed = updatePostmortemRequestSchema.safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, ...rest] = issue.path.map(String);
      let key = [head, ...rest].join('.');
      if (head === AUTHORS) key = AUTHORS;
      else if (head === 'extraSections' && rest[0]) key = rest[0];
      errors[key] ??= issue.message;
    }
  }
  if (status === 'in_review' || status === 'published') {
    if (splitRefs(draft.authors).length === 0) {
      errors[AUTHORS] ??= 'Name at least one author before review';
    }
    for (const section of template.sections) {
      if (!section.required) continue;
      const empty =
        section.kind === 'timeline'
          ? draft.timeline.length === 0
          : !(draft.texts[section.id] ?? '').trim();
      if (empty) errors[section.id] ??= 'Required before review';
    }
  }
  return errors;
}

const STATUS_ACTIONS: Record<PostmortemStatus, string> = {
  draft: 'Back to draft',
  in_review: 'Send to review',
  published: 'Publish',
};

export interface PostmortemEditorProps {
  postmortem: Postmortem;
  template: PostmortemTemplate;
  /** After a save; `transitioned` when the status changed. */
  onSaved: (postmortem: Postmortem, transitioned: boolean) => void;
  onClose: () => void;
}

/**
 * Edits a postmortem section by section as its template lays it out, with live blameless-wording hints, checks of
 * what the API would refuse, the status changes the workflow allows, and a way through a concurrent edit (409) that
 * keeps what was typed.
 */
export function PostmortemEditor(props: PostmortemEditorProps) {
  const { template } = props;
  const api = useApi(postmortemsApiRef);
  const [base, setBase] = useState(props.postmortem);
  const [draft, setDraft] = useState(() => draftOf(props.postmortem, template));
  const [attempt, setAttempt] = useState<{ status?: PostmortemStatus }>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [serverError, setServerError] = useState<string>();
  const [conflict, setConflict] = useState<string>();
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<string>();
  /** Fields someone else changed too, with their value, after a reload that kept ours. */
  const [theirs, setTheirs] = useState<Record<string, FieldValue>>({});
  const { people } = usePeople(base.ownerRef, base.authors);
  const titleRef = useRef<HTMLInputElement>(null);

  const { request, changed } = buildRequest(
    draft,
    base,
    template,
    attempt?.status,
  );
  const errors = attempt
    ? validate(draft, request, template, attempt.status)
    : {};

  const warnings = useMemo(
    () =>
      checkPostmortemWording(
        {
          ...draft.texts,
          timeline: draft.timeline.map(r => ({ at: r.at, text: r.text })),
          extraSections: draft.texts,
        },
        template.sections,
        people,
      ),
    [draft.texts, draft.timeline, template.sections, people],
  );
  const warningsOf = (section: string): BlamelessWarning[] =>
    warnings.filter(w => w.section === section);

  const update = (field: string, value: FieldValue) => {
    setDraft(d => putField(d, field, value));
    setSaved(undefined);
  };

  const save = async (status?: PostmortemStatus) => {
    setAttempt({ status });
    setServerError(undefined);
    setSaved(undefined);
    const built = buildRequest(draft, base, template, status);
    const problems = validate(draft, built.request, template, status);
    if (Object.keys(problems).length) return;
    if (!status && built.changed.length === 0) {
      setSaved('Nothing to save: no changes since the last save.');
      setAttempt(undefined);
      return;
    }
    setSaving(true);
    try {
      const updated = await api.updatePostmortem(base.id, built.request);
      setBase(updated);
      setDraft(draftOf(updated, template));
      setTheirs({});
      setAttempt(undefined);
      setConflict(undefined);
      setSaved(
        status
          ? `${POSTMORTEM_STATUS_LABELS[updated.status]} (version ${
              updated.version
            }).`
          : `Saved (version ${updated.version}).`,
      );
      props.onSaved(updated, !!status);
    } catch (e) {
      if (statusOfApiError(e) === 409) setConflict(describeApiError(e));
      else setServerError(describeApiError(e));
    } finally {
      setSaving(false);
    }
  };

  /** Loads the latest version and puts what was typed on top of it: our changed fields stay, the others are theirs. */
  const reloadKeepingMine = async () => {
    setReloading(true);
    setReloadError(undefined);
    try {
      const latest = (await api.getPostmortem(base.id)).postmortem;
      const oldBase = draftOf(base, template);
      const latestDraft = draftOf(latest, template);
      let merged = latestDraft;
      const overlaps: Record<string, FieldValue> = {};
      for (const field of fieldsOf(template)) {
        const mine = comparable(draft, field);
        if (mine === comparable(oldBase, field)) continue;
        merged = putField(merged, field, getField(draft, field));
        const theirValue = comparable(latestDraft, field);
        if (theirValue !== comparable(oldBase, field) && theirValue !== mine) {
          overlaps[field] = getField(latestDraft, field);
        }
      }
      setBase(latest);
      setDraft(merged);
      setTheirs(overlaps);
      setConflict(undefined);
    } catch (e) {
      setReloadError(describeApiError(e));
    } finally {
      setReloading(false);
    }
  };

  const takeTheirs = (field: string) => {
    update(field, theirs[field]);
    setTheirs(({ [field]: _, ...rest }) => rest);
  };

  const sectionTitle = (id: string) =>
    template.sections.find(s => s.id === id)?.title ?? id;

  const transitions = POSTMORTEM_TRANSITIONS[base.status];
  const dirty = changed.length > 0;

  return (
    <InfoCard
      title={`Editing: ${base.title}`}
      subheader={`${POSTMORTEM_STATUS_LABELS[base.status]} · version ${
        base.version
      } · ${template.title}`}
    >
      <Grid container spacing={2}>
        {conflict && (
          <Grid item xs={12}>
            <Alert
              severity="warning"
              action={
                <Button
                  color="inherit"
                  size="small"
                  onClick={reloadKeepingMine}
                  disabled={reloading}
                >
                  Load their changes, keep my text
                </Button>
              }
            >
              <AlertTitle>
                Someone else saved this postmortem meanwhile
              </AlertTitle>
              {conflict}
              <Typography variant="body2">
                Nothing you typed is lost. Load their version: the sections you
                changed keep your text, the others take theirs; then save again.
              </Typography>
            </Alert>
          </Grid>
        )}
        {reloadError && (
          <Grid item xs={12}>
            <Alert severity="error">
              Could not load the latest version: {reloadError}
            </Alert>
          </Grid>
        )}
        {serverError && (
          <Grid item xs={12}>
            <Alert severity="error">
              <AlertTitle>Not saved</AlertTitle>
              {serverError}
            </Alert>
          </Grid>
        )}
        {attempt && Object.keys(errors).length > 0 && (
          <Grid item xs={12}>
            <Alert severity="error">
              Not saved:{' '}
              {Object.keys(errors).length === 1
                ? 'one field needs'
                : `${Object.keys(errors).length} fields need`}{' '}
              attention (marked below).
            </Alert>
          </Grid>
        )}
        {saved && (
          <Grid item xs={12}>
            <Alert severity="success">{saved}</Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <TextField
            id="postmortem-title"
            label="Title"
            value={draft.title}
            inputRef={titleRef}
            onChange={e => update(TITLE, e.target.value)}
            fullWidth
            required
            error={!!errors[TITLE]}
            helperText={errors[TITLE]}
          />
          <TheirVersion field={TITLE} theirs={theirs} onUse={takeTheirs} />
        </Grid>
        <Grid item xs={12}>
          <TextField
            id="postmortem-authors"
            label="Authors"
            value={draft.authors}
            onChange={e => update(AUTHORS, e.target.value)}
            fullWidth
            error={!!errors[AUTHORS]}
            helperText={
              errors[AUTHORS] ??
              'User refs separated by commas, e.g. jonas.berg, user:default/amira.haddad'
            }
          />
          <TheirVersion field={AUTHORS} theirs={theirs} onUse={takeTheirs} />
        </Grid>
        {template.sections.map(section => (
          <Grid item xs={12} key={section.id}>
            {section.kind === 'timeline' ? (
              <TimelineEditor
                section={section}
                rows={draft.timeline}
                errors={errors}
                sectionError={errors[section.id]}
                warnings={warningsOf(section.id)}
                onChange={rows => update(TIMELINE_SECTION, rows)}
              />
            ) : (
              <>
                <TextField
                  id={`postmortem-section-${section.id}`}
                  label={section.title}
                  value={draft.texts[section.id] ?? ''}
                  onChange={e => update(section.id, e.target.value)}
                  fullWidth
                  multiline
                  minRows={3}
                  variant="outlined"
                  required={section.required}
                  error={!!errors[section.id]}
                  helperText={errors[section.id] ?? section.prompt}
                />
                {section.blamelessCheck && (
                  <BlamelessHints
                    sectionTitle={section.title}
                    warnings={warningsOf(section.id)}
                    written={!!(draft.texts[section.id] ?? '').trim()}
                  />
                )}
              </>
            )}
            <TheirVersion
              field={section.id}
              theirs={theirs}
              onUse={takeTheirs}
              label={sectionTitle(section.id)}
            />
          </Grid>
        ))}
        <Grid item xs={12}>
          <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
            <Button
              variant="contained"
              color="primary"
              disabled={saving}
              onClick={() => save()}
            >
              {base.status === 'published' ? 'Save corrections' : 'Save'}
            </Button>
            {transitions.map(next => (
              <Button
                key={next}
                variant="outlined"
                color="primary"
                disabled={saving}
                onClick={() => save(next)}
              >
                {dirty
                  ? `Save and ${STATUS_ACTIONS[next].toLocaleLowerCase(
                      'en-US',
                    )}`
                  : STATUS_ACTIONS[next]}
              </Button>
            ))}
            <Button onClick={props.onClose} disabled={saving}>
              {dirty ? 'Close without saving' : 'Close the editor'}
            </Button>
          </Box>
          <Typography variant="caption" color="textSecondary" component="p">
            Sending to review and publishing need the required sections (marked
            *) and at least one author. A published postmortem can still be
            corrected; its history shows every change.
          </Typography>
        </Grid>
      </Grid>
    </InfoCard>
  );
}

function TheirVersion(props: {
  field: string;
  theirs: Record<string, FieldValue>;
  onUse: (field: string) => void;
  label?: string;
}) {
  const value = props.theirs[props.field];
  if (value === undefined) return null;
  const text =
    typeof value === 'string'
      ? value
      : value.map(r => `${r.at.replace('T', ' ')} — ${r.text}`).join('\n');
  return (
    <Alert
      severity="warning"
      style={{ marginTop: 8 }}
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => props.onUse(props.field)}
        >
          Use theirs
        </Button>
      }
    >
      <AlertTitle>
        {props.label ?? props.field}: changed by someone else too
      </AlertTitle>
      Your text is kept above. Theirs:
      <Box
        component="pre"
        mt={1}
        mb={0}
        style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}
      >
        {text || '(empty)'}
      </Box>
    </Alert>
  );
}

function TimelineEditor(props: {
  section: PostmortemTemplateSection;
  rows: TimelineRow[];
  errors: Errors;
  sectionError?: string;
  warnings: BlamelessWarning[];
  onChange: (rows: TimelineRow[]) => void;
}) {
  const { section, rows, errors, onChange } = props;
  const set = (index: number, patch: Partial<TimelineRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const add = () => {
    const last = rows[rows.length - 1];
    onChange([...rows, { key: nextKey(), at: last?.at ?? '', text: '' }]);
  };
  return (
    <Box component="fieldset" border={0} p={0} m={0}>
      <Typography component="legend" variant="subtitle1">
        {section.title}
        {section.required ? ' *' : ''}
      </Typography>
      {section.prompt && (
        <Typography variant="caption" color="textSecondary" component="p">
          {section.prompt} Entries are shown in time order once saved.
        </Typography>
      )}
      {props.sectionError && (
        <Typography variant="caption" color="error" component="p">
          {props.sectionError}
        </Typography>
      )}
      {rows.map((row, index) => (
        <Box
          key={row.key}
          display="flex"
          alignItems="flex-start"
          mt={1}
          style={{ gap: 8 }}
        >
          <TextField
            id={`timeline-${row.key}-at`}
            label={`Entry ${index + 1}: when`}
            type="datetime-local"
            value={row.at}
            onChange={e => set(index, { at: e.target.value })}
            InputLabelProps={{ shrink: true }}
            inputProps={{ step: 1 }}
            error={!!errors[`timeline.${index}.at`]}
            helperText={errors[`timeline.${index}.at`]}
            style={{ minWidth: 240 }}
          />
          <TextField
            id={`timeline-${row.key}-text`}
            label={`Entry ${index + 1}: what happened`}
            value={row.text}
            onChange={e => set(index, { text: e.target.value })}
            fullWidth
            multiline
            error={!!errors[`timeline.${index}.text`]}
            helperText={errors[`timeline.${index}.text`]}
          />
          <IconButton
            aria-label={`Remove entry ${index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button size="small" onClick={add} style={{ marginTop: 8 }}>
        Add a timeline entry
      </Button>
      {section.blamelessCheck && (
        <BlamelessHints
          sectionTitle={section.title}
          warnings={props.warnings}
          written={rows.some(r => r.text.trim())}
        />
      )}
    </Box>
  );
}
