import { ErrorPanel, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Grid } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import EditIcon from '@material-ui/icons/Edit';
import Alert from '@material-ui/lab/Alert';
import { statusOfApiError } from '@vitals/common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { ActionItemsCard } from './ActionItemsCard';
import { HistoryCard } from './HistoryCard';
import { PostmortemEditor } from './PostmortemEditor';
import { PostmortemReadView } from './PostmortemReadView';
import { templateOf } from './sections';

/** One postmortem: the read view (or the editor, for those who may edit it), its action items and its history. */
export function PostmortemPanel(props: {
  id: string;
  editing: boolean;
  onEdit: (editing: boolean) => void;
  onBack: () => void;
}) {
  const { id, editing, onEdit, onBack } = props;
  const api = useApi(postmortemsApiRef);
  const detail = useAsyncRetry(() => api.getPostmortem(id), [api, id]);
  const templates = useAsync(() => api.listTemplates(), [api]);

  const back = (
    <Button startIcon={<ArrowBackIcon />} onClick={onBack}>
      All incidents and postmortems
    </Button>
  );

  if (!detail.value && (detail.loading || templates.loading)) {
    return <Progress />;
  }
  if (!detail.value) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          {back}
        </Grid>
        <Grid item xs={12}>
          {statusOfApiError(detail.error) === 404 ? (
            <Alert severity="info">
              There is no postmortem {id}, or it is not shared with you yet:
              drafts and postmortems in review are read by the owning team and
              their authors only; everyone can read them once published.
            </Alert>
          ) : (
            <ErrorPanel
              title="Could not load the postmortem"
              error={detail.error ?? new Error('unknown error')}
            />
          )}
        </Grid>
      </Grid>
    );
  }

  const { postmortem, canEdit } = detail.value;
  const template = templateOf(templates.value, postmortem.templateId);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {back}
          <Box flexGrow={1} />
          {canEdit && !editing && (
            <Button
              variant="contained"
              color="primary"
              startIcon={<EditIcon />}
              onClick={() => onEdit(true)}
            >
              Edit
            </Button>
          )}
        </Box>
      </Grid>
      {templates.error && (
        <Grid item xs={12}>
          <Alert severity="warning">
            The postmortem templates could not be loaded (
            {templates.error.message}); the built-in sections are shown.
          </Alert>
        </Grid>
      )}
      {!canEdit && (
        <Grid item xs={12}>
          <Alert severity="info">
            Read only: only the owners of {postmortem.entityRef}
            {postmortem.ownerRef ? ` (${postmortem.ownerRef})` : ''} can edit
            this postmortem and its action items.
          </Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        {editing && canEdit ? (
          <PostmortemEditor
            postmortem={postmortem}
            template={template}
            onSaved={(_, transitioned) => {
              detail.retry();
              if (transitioned) onEdit(false);
            }}
            onClose={() => {
              detail.retry();
              onEdit(false);
            }}
          />
        ) : (
          <PostmortemReadView detail={detail.value} template={template} />
        )}
      </Grid>
      <Grid item xs={12}>
        <ActionItemsCard
          postmortem={postmortem}
          items={detail.value.actionItems}
          canEdit={canEdit}
          onChanged={detail.retry}
        />
      </Grid>
      <Grid item xs={12}>
        <HistoryCard id={postmortem.id} version={postmortem.version} />
      </Grid>
    </Grid>
  );
}
