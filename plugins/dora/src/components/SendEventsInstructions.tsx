import { CodeSnippet } from '@backstage/core-components';
import { discoveryApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Box, Typography } from '@material-ui/core';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

const MINUTE_MS = 60_000;

/** A sample request that records one merged pull request and the production deployment that shipped it. */
export function curlExample(
  baseUrl: string,
  entityRef: string,
  now: number = Date.now(),
): string {
  const at = (minutesAgo: number) =>
    new Date(
      Math.floor(now / MINUTE_MS - minutesAgo) * MINUTE_MS,
    ).toISOString();
  const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const body = {
    events: [
      {
        type: 'change',
        id: 'pr-1234',
        entityRef,
        sha,
        authoredAt: at(300),
        createdAt: at(240),
        mergedAt: at(60),
        author: 'jane.doe',
      },
      {
        type: 'deployment',
        id: 'deploy-5678',
        entityRef,
        environment: 'production',
        status: 'success',
        startedAt: at(10),
        finishedAt: at(5),
        commitShas: [sha],
      },
    ],
  };
  return [
    `curl -X POST "${baseUrl}/v1/events" \\`,
    `  -H "Authorization: Bearer $VITALS_CI_TOKEN" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body, null, 2).replace(/'/g, "'\\''")}'`,
  ].join('\n');
}

function annotationExample(entityRef: string): string {
  const { name } = parseEntityRef(entityRef);
  return [
    'metadata:',
    '  annotations:',
    `    github.com/project-slug: your-org/${name}`,
  ].join('\n');
}

/** Where the DORA API lives in this portal; falls back to a placeholder when discovery is unavailable. */
function useDoraBaseUrl(): string {
  const apis = useApiHolder();
  const { value } = useAsync(async () => {
    try {
      // Resolving discovery can throw when the app has no backend.baseUrl; the instructions still help without it.
      return await apis.get(discoveryApiRef)?.getBaseUrl('dora');
    } catch {
      return undefined;
    }
  }, [apis]);
  return value ?? 'https://backstage.example.com/api/dora';
}

/** How to start sending delivery events for an entity: from CI with curl, or from GitHub with a webhook. */
export function SendEventsInstructions({ entityRef }: { entityRef: string }) {
  const baseUrl = useDoraBaseUrl();
  const curl = useMemo(
    () => curlExample(baseUrl, entityRef),
    [baseUrl, entityRef],
  );
  const eventsUrl = baseUrl.replace(/\/dora$/, '/events/http/github');
  return (
    <Box aria-label="How to send delivery events" component="section">
      <Typography variant="h6" component="h3" gutterBottom>
        Send events from CI
      </Typography>
      <Typography variant="body2" paragraph>
        After each production deployment, post the deployment and the changes it
        shipped to <code>POST /api/dora/v1/events</code>. CI authenticates with
        a static token from <code>backend.auth.externalAccess</code> in the app
        config; put it in <code>VITALS_CI_TOKEN</code>. Sending an event again
        with the same type and id updates it, so re-running a pipeline is safe.
        Report incidents the same way with <code>type: incident</code>, and send
        them again with <code>resolvedAt</code> once resolved.
      </Typography>
      <CodeSnippet text={curl} language="bash" showCopyCodeButton />
      <Box mt={3}>
        <Typography variant="h6" component="h3" gutterBottom>
          Or connect GitHub
        </Typography>
        <Typography variant="body2" component="div">
          <ol style={{ paddingLeft: 20, margin: 0 }}>
            <li>
              Tell the catalog which repository builds this entity with the{' '}
              <code>github.com/project-slug</code> annotation in its{' '}
              <code>catalog-info.yaml</code>:
            </li>
          </ol>
        </Typography>
        <CodeSnippet
          text={annotationExample(entityRef)}
          language="yaml"
          showCopyCodeButton
        />
        <Typography variant="body2" component="div">
          <ol start={2} style={{ paddingLeft: 20, margin: 0 }}>
            <li>
              In the repository&apos;s (or organisation&apos;s){' '}
              <strong>Settings → Webhooks</strong>, add a webhook with payload
              URL <code>{eventsUrl}</code>, content type{' '}
              <code>application/json</code> and the secret configured as{' '}
              <code>events.modules.github.webhookSecret</code>.
            </li>
            <li>
              Select the events <strong>Deployment statuses</strong>,{' '}
              <strong>Pull requests</strong> and <strong>Issues</strong>:
              deployments to production count as deployments, merged pull
              requests as changes, and issues labelled <code>incident</code> as
              incidents.
            </li>
          </ol>
        </Typography>
      </Box>
    </Box>
  );
}
