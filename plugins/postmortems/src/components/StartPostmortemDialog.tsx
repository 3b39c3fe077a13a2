import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  Postmortem,
  POSTMORTEM_LIMITS,
  PostmortemTemplateList,
} from '@vitals/plugin-postmortems-common';
import { FormEvent, useState } from 'react';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { splitRefs } from './refs';

export interface StartPostmortemDialogProps {
  entityRef: string;
  incidentId: string;
  templates?: PostmortemTemplateList;
  onClose: () => void;
  onCreated: (postmortem: Postmortem) => void;
  /** The incident has a postmortem already (a 409): open it instead. */
  onExisting: () => void;
}

/** Starts a draft postmortem for one incident, from a template. */
export function StartPostmortemDialog(props: StartPostmortemDialogProps) {
  const { entityRef, incidentId, templates, onClose, onCreated } = props;
  const api = useApi(postmortemsApiRef);
  const [title, setTitle] = useState('');
  const [authors, setAuthors] = useState('');
  const [templateId, setTemplateId] = useState(
    templates?.defaultTemplateId ?? '',
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ status?: number; message: string }>();

  const titleError =
    title.length > POSTMORTEM_LIMITS.titleLength
      ? `At most ${POSTMORTEM_LIMITS.titleLength} characters`
      : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (titleError) return;
    setSaving(true);
    setError(undefined);
    try {
      const authorRefs = splitRefs(authors);
      const created = await api.createPostmortem({
        incidentId,
        entityRef,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(templateId ? { templateId } : {}),
        ...(authorRefs.length ? { authors: authorRefs } : {}),
      });
      onCreated(created);
    } catch (err) {
      setError({
        status: statusOfApiError(err),
        message: describeApiError(err),
      });
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>Start a postmortem</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A blameless postmortem of incident <strong>{incidentId}</strong>. It
            starts as a draft that only the owning team and its authors can
            read; publish it when it has been reviewed.
          </DialogContentText>
          {error?.status === 409 ? (
            <Alert
              severity="info"
              action={
                <Button color="inherit" size="small" onClick={props.onExisting}>
                  Open it
                </Button>
              }
            >
              This incident already has a postmortem. {error.message}
            </Alert>
          ) : (
            error && <Alert severity="error">{error.message}</Alert>
          )}
          <TextField
            id="start-postmortem-title"
            label="Title"
            value={title}
            onChange={e => setTitle(e.target.value)}
            fullWidth
            margin="normal"
            error={!!titleError}
            helperText={
              titleError ??
              'What happened, in a line; left empty, it is named after the incident.'
            }
          />
          {templates && templates.templates.length > 1 && (
            <TextField
              id="start-postmortem-template"
              select
              label="Template"
              value={templateId}
              onChange={e => setTemplateId(String(e.target.value))}
              fullWidth
              margin="normal"
            >
              {templates.templates.map(t => (
                <MenuItem key={t.id} value={t.id}>
                  {t.title}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            id="start-postmortem-authors"
            label="Authors"
            value={authors}
            onChange={e => setAuthors(e.target.value)}
            fullWidth
            margin="normal"
            helperText="User refs, separated by commas (e.g. jonas.berg, user:default/amira.haddad); left empty, you are the author."
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            Start the draft
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
