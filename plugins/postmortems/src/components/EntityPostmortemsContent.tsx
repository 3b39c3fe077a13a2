import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Grid } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { normalizeEntityRef } from '@vitals/common';
import { postmortemCreatePermission } from '@vitals/plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { IncidentsCard } from './IncidentsCard';
import { PostmortemPanel } from './PostmortemPanel';
import { PostmortemsListCard } from './PostmortemsListCard';
import { StartPostmortemDialog } from './StartPostmortemDialog';

/**
 * The "Postmortems" tab of a service. Its URL says what is open: `?postmortem=<id>` a postmortem (`&edit=1` in the
 * editor), `?incident=<id>` an incident's postmortem, or the dialog to start one when it has none (the DORA incident
 * links and the org page lead here); nothing, the service's incidents and postmortems.
 */
export function EntityPostmortemsContent() {
  const { entity } = useEntity();
  const entityRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const [params, setParams] = useSearchParams();
  const postmortemId = params.get('postmortem');
  const incidentId = params.get('incident');

  if (postmortemId) {
    return (
      <PostmortemPanel
        key={postmortemId}
        id={postmortemId}
        editing={params.get('edit') === '1'}
        onEdit={editing =>
          setParams(
            editing
              ? { postmortem: postmortemId, edit: '1' }
              : { postmortem: postmortemId },
          )
        }
        onBack={() => setParams({})}
      />
    );
  }
  return (
    <Overview
      entityRef={entityRef}
      owner={
        typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined
      }
      incidentId={incidentId}
      openPostmortem={(id, edit) =>
        setParams(edit ? { postmortem: id, edit: '1' } : { postmortem: id })
      }
      clearIncident={() => setParams({})}
      startFor={id => setParams({ incident: id })}
    />
  );
}

function Overview(props: {
  entityRef: string;
  owner?: string;
  incidentId: string | null;
  openPostmortem: (id: string, edit?: boolean) => void;
  clearIncident: () => void;
  startFor: (incidentId: string) => void;
}) {
  const { entityRef, owner, incidentId, openPostmortem } = props;
  const api = useApi(postmortemsApiRef);
  const create = usePermission({
    permission: postmortemCreatePermission,
    resourceRef: entityRef,
  });
  const incidents = useAsyncRetry(
    () => api.listIncidents({ entityRef, limit: 200 }),
    [api, entityRef],
  );
  const postmortems = useAsyncRetry(
    () => api.listPostmortems({ entityRef, limit: 200 }),
    [api, entityRef],
  );
  const templates = useAsync(() => api.listTemplates(), [api]);

  // An incident named in the URL: open its postmortem when the viewer can read one, else offer to start it.
  const lookup = useAsync(async () => {
    if (!incidentId) return undefined;
    const page = await api.listPostmortems({ entityRef, incidentId, limit: 1 });
    return page.items[0] ?? null;
  }, [api, entityRef, incidentId]);
  const [startClosed, setStartClosed] = useState(false);
  useEffect(() => setStartClosed(false), [incidentId]);
  const open = useRef(openPostmortem);
  open.current = openPostmortem;
  const found = lookup.value?.id;
  useEffect(() => {
    if (found) open.current(found);
  }, [found]);

  const readOnly = !create.loading && !create.allowed;
  const incidentRow = incidentId
    ? incidents.value?.items.find(r => r.incident.id === incidentId)
    : undefined;

  let incidentNotice: JSX.Element | null = null;
  if (incidentId && lookup.loading) incidentNotice = <Progress />;
  else if (incidentId && lookup.error) {
    incidentNotice = (
      <Alert severity="error">
        Could not look up the postmortem of incident {incidentId}:{' '}
        {lookup.error.message}
      </Alert>
    );
  } else if (incidentId && lookup.value === null && incidentRow?.postmortem) {
    incidentNotice = (
      <Alert severity="info">
        Incident {incidentId} has a postmortem in progress. Drafts are shared
        with the owning team and its authors; everyone can read it once it is
        published.
      </Alert>
    );
  } else if (incidentId && lookup.value === null && readOnly) {
    incidentNotice = (
      <Alert severity="info">
        Incident {incidentId} has no postmortem yet. Only the owners of{' '}
        {entityRef}
        {owner ? ` (${owner})` : ''} can start one.
      </Alert>
    );
  }

  return (
    <Grid container spacing={3}>
      {readOnly && (
        <Grid item xs={12}>
          <Alert severity="info">
            Read only: only the owners of {entityRef}
            {owner ? ` (${owner})` : ''} can start and edit its postmortems.
            Published postmortems are open to everyone.
          </Alert>
        </Grid>
      )}
      {incidentNotice && (
        <Grid item xs={12}>
          {incidentNotice}
        </Grid>
      )}
      <Grid item xs={12}>
        <IncidentsCard
          loading={incidents.loading}
          error={incidents.error}
          rows={incidents.value?.items}
          totalCount={incidents.value?.totalCount}
          canCreate={create.allowed}
          onStart={row => props.startFor(row.incident.id)}
        />
      </Grid>
      <Grid item xs={12}>
        <PostmortemsListCard
          loading={postmortems.loading}
          error={postmortems.error}
          rows={postmortems.value?.items}
          totalCount={postmortems.value?.totalCount}
        />
      </Grid>
      {incidentId &&
        lookup.value === null &&
        !incidentRow?.postmortem &&
        create.allowed &&
        !startClosed &&
        !templates.loading && (
          <StartPostmortemDialog
            entityRef={entityRef}
            incidentId={incidentId}
            templates={templates.value}
            onClose={() => {
              setStartClosed(true);
              props.clearIncident();
            }}
            onCreated={created => openPostmortem(created.id, true)}
            onExisting={() => {
              setStartClosed(true);
              incidents.retry();
              postmortems.retry();
              props.clearIncident();
            }}
          />
        )}
    </Grid>
  );
}
