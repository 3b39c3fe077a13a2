import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { List, ListItem, ListItemIcon, ListItemText } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import WarningIcon from '@material-ui/icons/Warning';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';
import { plural, shortSha } from './format';

interface Finding {
  label: string;
  count: number;
  why: string;
  sample: string[];
}

/** What makes the figures less trustworthy: events that could not be linked, and entities that left the catalog. */
export function DataHealthPanel({ entityRef }: { entityRef: string }) {
  const api = useApi(doraApiRef);
  const health = useAsync(
    () => api.getDataHealth({ entityRef }),
    [api, entityRef],
  );
  const h = health.value;
  const findings: Finding[] = h
    ? [
        {
          label: plural(
            h.changesNeverDeployed.count,
            'change never deployed',
            'changes never deployed',
          ),
          count: h.changesNeverDeployed.count,
          why: 'No successful production deployment listed their sha, so they have no lead time.',
          sample: h.changesNeverDeployed.sample.map(c => shortSha(c.sha)),
        },
        {
          label: plural(
            h.incidentsWithoutDeployment.count,
            'incident linked to no deployment',
            'incidents linked to no deployment',
          ),
          count: h.incidentsWithoutDeployment.count,
          why: 'No deployment finished before them, or the deployment they name never arrived; they do not count towards the change failure rate.',
          sample: h.incidentsWithoutDeployment.sample.map(i => i.id),
        },
        {
          label: plural(
            h.deploymentsWithoutCommits.count,
            'deployment without commits',
            'deployments without commits',
          ),
          count: h.deploymentsWithoutCommits.count,
          why: 'They listed no commitShas, so no change can be linked to them.',
          sample: h.deploymentsWithoutCommits.sample.map(d => d.id),
        },
        {
          label: plural(
            h.entitiesNotInCatalog.length,
            'entity no longer in the catalog',
            'entities no longer in the catalog',
          ),
          count: h.entitiesNotInCatalog.length,
          why: 'Their events are kept but no catalog page shows them.',
          sample: h.entitiesNotInCatalog,
        },
      ]
    : [];
  return (
    <InfoCard
      title="Data health"
      subheader="Events that could not be linked, over all time"
    >
      {health.loading && <Progress />}
      {health.error && (
        <ErrorPanel
          title="Could not load the data health"
          error={health.error}
        />
      )}
      {h && (
        <List dense aria-label="Data health">
          {findings.map(f => (
            <ListItem key={f.label} disableGutters>
              <ListItemIcon>
                {f.count ? (
                  <WarningIcon style={{ color: '#b45309' }} />
                ) : (
                  <CheckCircleIcon style={{ color: '#2e7d32' }} />
                )}
              </ListItemIcon>
              <ListItemText
                primary={f.label}
                secondary={
                  f.count
                    ? `${f.why}${
                        f.sample.length
                          ? ` E.g. ${f.sample.slice(0, 5).join(', ')}.`
                          : ''
                      }`
                    : undefined
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
