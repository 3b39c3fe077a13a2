import { Link, TableColumn } from '@backstage/core-components';
import { useApi, useApiHolder, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Chip, FormControlLabel, Switch, Typography } from '@material-ui/core';
import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  DoraPagedList,
} from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { figureColumn } from './columns';
import {
  DoraIncidentLink,
  DoraIncidentLinksApi,
  doraIncidentLinksApiRef,
} from '../api/incidentLinksApiRef';
import { formatDateTime, formatMinutes, shortSha } from './format';
import { linked, RemoteTable } from './RemoteTable';

interface WindowProps {
  entityRef: string;
  from: string;
  to: string;
}

/** Which of the window's counted deployments the deployments table lists. */
export interface DeploymentFilter {
  /** Only those that caused an incident: behind the change failure rate and failed-deployment recovery time. */
  failedOnly: boolean;
  /** Only rework: behind the rework rate. */
  reworkOnly: boolean;
}

export const ALL_DEPLOYMENTS: DeploymentFilter = {
  failedOnly: false,
  reworkOnly: false,
};

function deploymentsTitle({ failedOnly, reworkOnly }: DeploymentFilter) {
  if (failedOnly && reworkOnly)
    return 'Rework deployments that caused an incident';
  if (failedOnly) return 'Deployments that caused an incident';
  if (reworkOnly) return 'Rework deployments';
  return 'Deployments';
}

function deploymentsEmptyText({ failedOnly, reworkOnly }: DeploymentFilter) {
  if (failedOnly && reworkOnly)
    return 'No rework deployment in this window caused an incident.';
  if (failedOnly) return 'No deployment in this window caused an incident.';
  if (reworkOnly)
    return 'No deployment in this window was rework: none was flagged, and none shipped while an incident was open.';
  return 'No successful production deployments in this window.';
}

/** Why a deployment counts as rework, in words: flagged by its sender, and/or shipped while an incident was open. */
export function reworkReasons(d: DoraDeployment): string[] {
  if (!d.rework) return [];
  return [
    ...(d.reworkFlagged ? ['Flagged as rework'] : []),
    ...(d.reworkIncidentId
      ? [`First deployment while ${d.reworkIncidentId} was open`]
      : []),
  ];
}

/**
 * Counted deployments of the window, each with whether it caused an incident (and, if so, how long until every incident
 * it caused was resolved) and whether it is rework and why; choosing one narrows the changes and incidents to it.
 */
export function DeploymentsTable(
  props: WindowProps & {
    filter: DeploymentFilter;
    onFilterChange: (filter: DeploymentFilter) => void;
    onSelect: (deployment: DoraDeployment) => void;
  },
) {
  const api = useApi(doraApiRef);
  const { entityRef, from, to, filter, onFilterChange } = props;
  const { failedOnly, reworkOnly } = filter;
  const columns: TableColumn<DoraDeployment>[] = [
    {
      title: 'Finished',
      field: 'finishedAt',
      render: d => linked(formatDateTime(d.finishedAt), d.url),
    },
    { title: 'Deployment', field: 'id' },
    { title: 'Environment', field: 'environment' },
    { title: 'Commits', field: 'commitCount', type: 'numeric' },
    {
      title: 'Incident',
      field: 'failed',
      render: d =>
        d.failed ? (
          <Chip
            size="small"
            label="Caused an incident"
            style={{ backgroundColor: '#b71c1c', color: '#fff' }}
          />
        ) : (
          'None'
        ),
    },
    {
      title: 'Recovery',
      field: 'recoveryMinutes',
      ...figureColumn(),
      render: d => {
        if (!d.failed) return '—';
        if (d.recoveryMinutes === null) return 'Incident still open';
        return formatMinutes(d.recoveryMinutes);
      },
    },
    {
      title: 'Rework',
      field: 'rework',
      render: d =>
        d.rework ? (
          <>
            <Chip size="small" variant="outlined" label="Rework" />
            {reworkReasons(d).map(reason => (
              <Typography
                key={reason}
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {reason}
              </Typography>
            ))}
          </>
        ) : (
          'No'
        ),
    },
  ];
  return (
    <>
      <FormControlLabel
        control={
          <Switch
            checked={failedOnly}
            onChange={e =>
              onFilterChange({ ...filter, failedOnly: e.target.checked })
            }
          />
        }
        label="Only deployments that caused an incident"
      />
      <FormControlLabel
        control={
          <Switch
            checked={reworkOnly}
            onChange={e =>
              onFilterChange({ ...filter, reworkOnly: e.target.checked })
            }
          />
        }
        label="Only rework deployments"
      />
      <RemoteTable<DoraDeployment>
        title={deploymentsTitle(filter)}
        queryKey={`${entityRef}|${from}|${to}|${failedOnly}|${reworkOnly}`}
        columns={columns}
        load={page =>
          api.listDeployments({
            entityRef,
            from,
            to,
            failed: failedOnly ? true : undefined,
            rework: reworkOnly ? true : undefined,
            ...page,
          })
        }
        emptyText={deploymentsEmptyText(filter)}
        errorTitle="Could not load the deployments"
        onRowClick={props.onSelect}
      />
    </>
  );
}

/** Changes deployed in the window (or by one deployment), with each part of their lead time. */
export function ChangesTable(props: WindowProps & { deploymentId?: string }) {
  const api = useApi(doraApiRef);
  const { entityRef, from, to, deploymentId } = props;
  const minutes = (value: number | null) => formatMinutes(value);
  const columns: TableColumn<DoraChange>[] = [
    {
      title: 'Change',
      field: 'sha',
      render: c => (
        <>
          {linked(shortSha(c.sha), c.url)}
          {c.author && (
            <Typography variant="caption" color="textSecondary" component="div">
              {c.author}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Merged',
      field: 'mergedAt',
      render: c => formatDateTime(c.mergedAt ?? c.authoredAt),
    },
    {
      title: 'Deployed',
      field: 'deployedAt',
      render: c => formatDateTime(c.deployedAt),
    },
    {
      title: 'Coding',
      field: 'codingMinutes',
      render: c => minutes(c.codingMinutes),
    },
    {
      title: 'Review',
      field: 'mergeMinutes',
      render: c => minutes(c.mergeMinutes),
    },
    {
      title: 'Deploy',
      field: 'deployMinutes',
      render: c => minutes(c.deployMinutes),
    },
    {
      title: 'Lead time',
      field: 'leadTimeMinutes',
      render: c => <strong>{minutes(c.leadTimeMinutes)}</strong>,
    },
  ];
  return (
    <RemoteTable<DoraChange>
      title={deploymentId ? `Changes shipped by ${deploymentId}` : 'Changes'}
      queryKey={`${entityRef}|${from}|${to}|${deploymentId ?? ''}`}
      columns={columns}
      load={page =>
        api.listChanges({ entityRef, from, to, deploymentId, ...page })
      }
      emptyText={
        deploymentId
          ? 'No change is linked to this deployment: it listed no commits that were reported as changes.'
          : 'No changes were deployed in this window.'
      }
      errorTitle="Could not load the changes"
    />
  );
}

/** An incident with the link another plugin shows beside it (see `doraIncidentLinksApiRef`). */
type IncidentRow = DoraIncident & {
  link?: DoraIncidentLink;
  linkError?: string;
};

type IncidentsTableProps = WindowProps & { deploymentId?: string };

/**
 * Incidents resolved in the window (or linked to one deployment), with their time to restore; with one more column when
 * the app provides the optional incident links (e.g. each incident's postmortem).
 */
export function IncidentsTable(props: IncidentsTableProps) {
  const linksApi = useApiHolder().get(doraIncidentLinksApiRef);
  return linksApi ? (
    <IncidentsWithLinksTable {...props} linksApi={linksApi} />
  ) : (
    <IncidentsTableView {...props} />
  );
}

function IncidentsWithLinksTable(
  props: IncidentsTableProps & { linksApi: DoraIncidentLinksApi },
) {
  const entityRoute = useRouteRef(entityRouteRef);
  const entityPath = entityRoute(entityRouteParams(props.entityRef));
  return (
    <IncidentsTableView
      {...props}
      links={{ api: props.linksApi, entityPath }}
    />
  );
}

function IncidentsTableView(
  props: IncidentsTableProps & {
    links?: { api: DoraIncidentLinksApi; entityPath: string };
  },
) {
  const api = useApi(doraApiRef);
  const { entityRef, from, to, deploymentId, links } = props;
  const columns: TableColumn<IncidentRow>[] = [
    { title: 'Incident', field: 'id', render: i => linked(i.id, i.url) },
    { title: 'Severity', field: 'severity', render: i => i.severity ?? '—' },
    {
      title: 'Created',
      field: 'createdAt',
      render: i => formatDateTime(i.createdAt),
    },
    {
      title: 'Resolved',
      field: 'resolvedAt',
      render: i => (i.resolvedAt ? formatDateTime(i.resolvedAt) : 'Open'),
    },
    {
      title: 'Time to restore',
      field: 'restoreMinutes',
      render: i => formatMinutes(i.restoreMinutes),
    },
    {
      title: 'Caused by deployment',
      field: 'linkedDeploymentId',
      render: i => i.linkedDeploymentId ?? 'None found',
    },
  ];
  if (links) {
    columns.push({
      title: links.api.columnTitle,
      render: i => {
        if (i.linkError) {
          return (
            <Typography
              variant="body2"
              color="textSecondary"
              title={i.linkError}
            >
              Unavailable
            </Typography>
          );
        }
        if (!i.link) return '—';
        return (
          <>
            <Link to={i.link.href}>{i.link.label}</Link>
            {i.link.description && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {i.link.description}
              </Typography>
            )}
          </>
        );
      },
    });
  }
  const load = async (page: {
    limit: number;
    offset: number;
  }): Promise<DoraPagedList<IncidentRow>> => {
    const result = await api.listIncidents({
      entityRef,
      from,
      to,
      deploymentId,
      ...page,
    });
    if (!links || result.items.length === 0) return result;
    try {
      const found = await links.api.getIncidentLinks({
        entityRef,
        entityPath: links.entityPath,
        incidentIds: result.items.map(i => i.id),
      });
      const byId = new Map(found.map(l => [l.incidentId, l]));
      return {
        ...result,
        items: result.items.map(i => ({ ...i, link: byId.get(i.id) })),
      };
    } catch (e) {
      // The incidents matter more than the links: show them, and say why the links are missing.
      const linkError = `Could not load the links: ${(e as Error).message}`;
      return {
        ...result,
        items: result.items.map(i => ({ ...i, linkError })),
      };
    }
  };
  return (
    <RemoteTable<IncidentRow>
      title={deploymentId ? `Incidents linked to ${deploymentId}` : 'Incidents'}
      queryKey={`${entityRef}|${from}|${to}|${deploymentId ?? ''}`}
      columns={columns}
      load={load}
      emptyText={
        deploymentId
          ? 'No incident is linked to this deployment.'
          : 'No incidents were resolved in this window.'
      }
      errorTitle="Could not load the incidents"
    />
  );
}
