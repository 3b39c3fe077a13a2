import {
  InfoCard,
  Link,
  MarkdownContent,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import {
  PostmortemChange,
  PostmortemDetail,
  PostmortemTemplate,
  TimelineEntry,
} from '@vitals/plugin-postmortems-common';
import { formatDateTime, formatMinutes } from '@vitals/react';
import {
  dueText,
  isPostmortemOverdue,
  OverdueChip,
  PostmortemStatusChip,
} from './format';
import { sectionText } from './sections';
import { useEntityPaths } from './useEntityPaths';

/** The timeline in time order (entries at the same time keep the order they were written in). */
export function sortedTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index,
    )
    .map(({ entry }) => entry);
}

function Fact(props: { label: string; children: React.ReactNode }) {
  return (
    <Grid item xs={12} sm={6} md={4}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}

function TimelineView(props: { entries: TimelineEntry[] }) {
  const entries = sortedTimeline(props.entries);
  if (!entries.length) return <NotWritten />;
  return (
    <Box
      component="ol"
      aria-label="Timeline"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {entries.map((entry, index) => (
        <Box
          component="li"
          key={index}
          display="flex"
          py={1}
          borderBottom={index < entries.length - 1 ? 1 : 0}
          borderColor="divider"
        >
          <Box minWidth={190} pr={2}>
            <Typography variant="body2" color="textSecondary">
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            </Typography>
          </Box>
          <Box flex={1}>
            <MarkdownContent content={entry.text} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function NotWritten() {
  return (
    <Typography variant="body2" color="textSecondary">
      <em>Not written yet.</em>
    </Typography>
  );
}

function ChangesTable(props: { changes: PostmortemChange[] | null }) {
  const { changes } = props;
  if (changes === null) {
    return (
      <Typography variant="body2" color="textSecondary">
        No changes to show: the incident is linked to no deployment, or DORA
        could not be read just now.
      </Typography>
    );
  }
  const columns: TableColumn<PostmortemChange>[] = [
    {
      title: 'Change',
      render: c =>
        c.url ? <Link to={c.url}>{c.sha.slice(0, 7)}</Link> : c.sha.slice(0, 7),
    },
    { title: 'Id', render: c => c.id },
    { title: 'Author', render: c => c.author ?? '—' },
    {
      title: 'Merged',
      render: c => (c.mergedAt ? formatDateTime(c.mergedAt) : '—'),
    },
    {
      title: 'Deployed',
      render: c => (c.deployedAt ? formatDateTime(c.deployedAt) : '—'),
    },
  ];
  return (
    <Table<PostmortemChange>
      title={`Changes the deployment shipped (${changes.length})`}
      columns={columns}
      data={changes}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">
            DORA has no changes listed for this deployment.
          </Typography>
        </Box>
      }
    />
  );
}

/** A postmortem as readers see it: what happened, the timeline in order, and the incident, deployment and changes. */
export function PostmortemReadView(props: {
  detail: PostmortemDetail;
  template: PostmortemTemplate;
}) {
  const { postmortem, changes } = props.detail;
  const { incident } = postmortem;
  const paths = useEntityPaths();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={postmortem.title}
          subheader={
            <Box display="flex" alignItems="center" mt={1} style={{ gap: 8 }}>
              <PostmortemStatusChip status={postmortem.status} />
              {isPostmortemOverdue(incident, postmortem.status) && (
                <OverdueChip title={dueText(incident)} />
              )}
              <Typography variant="body2" color="textSecondary">
                {postmortem.publishedAt
                  ? `Published ${formatDateTime(postmortem.publishedAt)}`
                  : `Last changed ${formatDateTime(postmortem.updatedAt)}`}
                {` · version ${postmortem.version}`}
              </Typography>
            </Box>
          }
        >
          <Grid container spacing={2}>
            <Fact label="Incident">
              {incident.url ? (
                <Link to={incident.url}>{incident.id}</Link>
              ) : (
                incident.id
              )}
              {incident.severity ? ` · ${incident.severity}` : ''}
            </Fact>
            <Fact label="Started">{formatDateTime(incident.createdAt)}</Fact>
            <Fact label="Time to restore">
              {incident.resolvedAt
                ? `${formatMinutes(
                    incident.restoreMinutes,
                  )} (resolved ${formatDateTime(incident.resolvedAt)})`
                : 'Ongoing'}
            </Fact>
            <Fact label="Deployment (DORA)">
              {incident.deploymentId ? (
                <>
                  {incident.deploymentId} ·{' '}
                  <Link to={paths.dora(postmortem.entityRef)}>
                    see it in DORA
                  </Link>
                </>
              ) : (
                'None linked'
              )}
            </Fact>
            <Fact label="Service">
              <EntityRefLinks entityRefs={[postmortem.entityRef]} />
            </Fact>
            <Fact label="Authors">
              <EntityRefLinks
                entityRefs={postmortem.authors}
                defaultKind="user"
              />
            </Fact>
          </Grid>
        </InfoCard>
      </Grid>
      {props.template.sections.map(section => (
        <Grid item xs={12} key={section.id}>
          <InfoCard title={section.title}>
            {section.kind === 'timeline' ? (
              <TimelineView entries={postmortem.timeline} />
            ) : (
              <SectionBody text={sectionText(postmortem, section.id)} />
            )}
          </InfoCard>
        </Grid>
      ))}
      <Grid item xs={12}>
        <ChangesTable changes={changes} />
      </Grid>
    </Grid>
  );
}

function SectionBody(props: { text: string }) {
  return props.text.trim() ? (
    <MarkdownContent content={props.text} />
  ) : (
    <NotWritten />
  );
}
