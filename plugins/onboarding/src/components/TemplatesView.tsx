import {
  CodeSnippet,
  EmptyState,
  Progress,
  Table,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { EllipsisText, nameColumn, RetryableError } from '@vitals/react';
import type {
  TemplatesResponse,
  TemplateSummary,
} from '@vitals/plugin-onboarding-common';

const EXAMPLE = `# app-config.yaml
onboarding:
  templates:
    - target: ./onboarding/templates.yaml   # a path relative to this file, or a URL

# onboarding/templates.yaml
apiVersion: vitals/v1
kind: OnboardingTemplate
metadata: { name: payments-team, title: Joining Payments }
spec:
  targets:
    groups: [group:default/payments]
  steps:
    - id: read-runbook
      title: Read the on-call runbook
      kind: manual
    - id: first-change
      title: Merge your first change
      kind: first-change-merged`;

function describeTargets(targets: TemplateSummary['targets']): string {
  const parts: string[] = [];
  if (targets.groups?.length)
    parts.push(`members of ${targets.groups.join(', ')}`);
  const filter = [
    targets.kinds?.length ? `kind ${targets.kinds.join('/')}` : undefined,
    targets.types?.length ? `type ${targets.types.join('/')}` : undefined,
  ].filter(Boolean);
  if (filter.length) parts.push(`each owned entity of ${filter.join(' and ')}`);
  if (targets.entityRefs?.length) parts.push(targets.entityRefs.join(', '));
  return parts.join('; ') || '—';
}

/** The "Templates" tab: every loaded template and every problem that kept a template from loading. */
export function TemplatesView(props: {
  templates: {
    loading: boolean;
    error?: Error;
    value?: TemplatesResponse;
    retry: () => void;
  };
}) {
  const { loading, error, value, retry } = props.templates;
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <RetryableError
        title="Could not load the onboarding templates"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (!value) return null;
  const { templates, problems } = value;

  return (
    <Grid container spacing={3}>
      {problems.length > 0 && (
        <Grid item xs={12}>
          <Alert severity="error">
            <Typography variant="subtitle2">
              {problems.length === 1
                ? 'One problem'
                : `${problems.length} problems`}{' '}
              kept templates from loading; the valid templates still load. Fix
              these in the template files:
            </Typography>
            <List dense disablePadding aria-label="Template problems">
              {problems.map((p, i) => (
                <ListItem
                  key={`${p.source}-${p.template ?? ''}-${i}`}
                  disableGutters
                >
                  <ListItemText
                    primary={p.message}
                    secondary={`${p.source}${
                      p.template ? ` · template “${p.template}”` : ''
                    }`}
                  />
                </ListItem>
              ))}
            </List>
          </Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        {templates.length === 0 ? (
          <EmptyState
            missing="info"
            title="No onboarding templates"
            description="Checklists come from templates that platform teams write in YAML. List the template files under onboarding.templates in the app configuration; each file may hold several templates."
            action={
              <Box maxWidth={720}>
                <CodeSnippet
                  language="yaml"
                  text={EXAMPLE}
                  showCopyCodeButton
                />
              </Box>
            }
          />
        ) : (
          <Table<TemplateSummary>
            title={`Templates (${templates.length})`}
            subtitle="Loaded from the files listed under onboarding.templates; re-read on a schedule"
            data={templates}
            columns={[
              {
                title: 'Template',
                field: 'title',
                highlight: true,
                ...nameColumn(180),
                render: t => (
                  <>
                    <Typography variant="body2">{t.title}</Typography>
                    <Typography variant="caption" color="textSecondary">
                      {t.id}
                    </Typography>
                  </>
                ),
              },
              {
                title: 'Targets',
                field: 'targets',
                sorting: false,
                render: t => describeTargets(t.targets),
              },
              { title: 'Steps', field: 'steps', type: 'numeric' },
              {
                title: 'Owner',
                field: 'owner',
                ...nameColumn(110),
                render: t =>
                  t.owner ? (
                    <EntityRefLink entityRef={t.owner} defaultKind="group" />
                  ) : (
                    '—'
                  ),
              },
              {
                title: 'Source',
                field: 'source',
                render: t => <EllipsisText text={t.source} maxWidth="25vw" />,
              },
            ]}
            options={{
              paging: templates.length > 25,
              pageSize: 25,
              search: false,
              padding: 'dense',
            }}
          />
        )}
      </Grid>
    </Grid>
  );
}
