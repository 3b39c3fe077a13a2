import { DoraEventInput } from '@vitals/plugin-dora-common';
import { mapWorkflowRun } from './githubWorkflowRun';

/** A DORA event before it is given its entity (distributes over the event types). */
export type UnresolvedDoraEvent = DoraEventInput extends infer E
  ? E extends unknown
    ? Omit<E, 'entityRef'>
    : never
  : never;

/** An event for the entities of a GitHub repository, before the repository is resolved to catalog entities. */
export interface RepositoryEvent {
  /** `owner/name`, as in the catalog annotation `github.com/project-slug`. */
  repository: string;
  event: UnresolvedDoraEvent;
}

/** The topics the GitHub events module publishes (`github.<X-GitHub-Event>`) that carry DORA events. */
export const GITHUB_TOPICS = [
  'github.deployment_status',
  'github.pull_request',
  'github.issues',
  'github.workflow_run',
] as const;

/** The issue label that makes an issue an incident, compared case-insensitively. */
export const INCIDENT_LABEL = 'incident';

type Json = Record<string, any>;

const httpUrl = (...candidates: unknown[]): string | undefined =>
  candidates.find(
    (c): c is string => typeof c === 'string' && /^https?:\/\/\S+$/i.test(c),
  );

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

/**
 * Maps a GitHub webhook payload to a DORA event, or undefined when it is none:
 * - `deployment_status` with state `success` (→ success) or `failure`/`error` (→ failure): a deployment whose
 *   `commitShas` is the deployed sha only (GitHub sends no commit list; CI that posts the deployment with its full
 *   `commitShas` under the same id fills it in);
 * - `pull_request` closed and merged: a change (sha = merge commit). GitHub's payload has no commits, so no `authoredAt`
 *   (coding time) unless CI sends it;
 * - `issues` labelled `incident`: an incident created when the issue was, resolved when it is closed, `updatedAt` the
 *   issue's `updated_at` (so that a reopen replaces the resolved state and a late older delivery does not);
 * - `workflow_run`: a pipeline run (see `mapWorkflowRun`).
 */
export function mapGithubEvent(
  eventName: string,
  payload: Json,
): RepositoryEvent | undefined {
  const repository = text(payload?.repository?.full_name);
  if (!repository) return undefined;
  switch (eventName) {
    case 'deployment_status':
      return mapDeploymentStatus(repository, payload);
    case 'pull_request':
      return mapPullRequest(repository, payload);
    case 'issues':
      return mapIssue(repository, payload);
    case 'workflow_run':
      return mapWorkflowRun(repository, payload);
    default:
      return undefined;
  }
}

/** GitHub deployment states that end a deployment; the others (pending, queued, in_progress, inactive) do not. */
const DEPLOYMENT_STATES = new Map<unknown, 'success' | 'failure'>([
  ['success', 'success'],
  ['failure', 'failure'],
  ['error', 'failure'],
]);

function mapDeploymentStatus(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const { deployment, deployment_status: status } = payload;
  const state = status?.state;
  const result = DEPLOYMENT_STATES.get(state);
  const sha = text(deployment?.sha);
  const finishedAt = text(status?.created_at);
  const environment =
    text(status?.environment) ?? text(deployment?.environment);
  if (
    !result ||
    !sha ||
    !finishedAt ||
    !environment ||
    deployment?.id === undefined
  )
    return undefined;
  const startedAt = text(deployment.created_at);
  return {
    repository,
    event: {
      type: 'deployment',
      id: `github:${repository}:deployment:${deployment.id}`,
      environment,
      status: result,
      ...(startedAt && Date.parse(startedAt) <= Date.parse(finishedAt)
        ? { startedAt }
        : {}),
      finishedAt,
      commitShas: [sha],
      ...optionalUrl(
        httpUrl(status.log_url, status.target_url, status.environment_url),
      ),
    },
  };
}

function mapPullRequest(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const pr = payload.pull_request;
  if (
    payload.action !== 'closed' ||
    !pr?.merged ||
    !text(pr.merged_at) ||
    !text(pr.merge_commit_sha)
  )
    return undefined;
  // The first commit's author date, where a relay added the commits to the payload; GitHub itself sends only a count.
  const firstCommit = Array.isArray(pr.commits) ? pr.commits[0] : undefined;
  const authoredAt =
    text(firstCommit?.commit?.author?.date) ?? text(firstCommit?.timestamp);
  const author = text(pr.user?.login);
  return {
    repository,
    event: {
      type: 'change',
      id: `github:${repository}:pull:${pr.number}`,
      sha: pr.merge_commit_sha,
      ...(authoredAt ? { authoredAt } : {}),
      ...(text(pr.created_at) ? { createdAt: pr.created_at } : {}),
      mergedAt: pr.merged_at,
      ...(author ? { author } : {}),
      ...optionalUrl(httpUrl(pr.html_url)),
    },
  };
}

function mapIssue(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const issue = payload.issue;
  const labels: unknown[] = Array.isArray(issue?.labels) ? issue.labels : [];
  const isIncident = labels.some(
    (l: any) =>
      typeof l?.name === 'string' &&
      l.name.toLocaleLowerCase('en-US') === INCIDENT_LABEL,
  );
  if (!isIncident || !text(issue?.created_at) || payload.action === 'deleted')
    return undefined;
  // Every action on a labelled issue re-sends it whole: open (opened, labeled, reopened, edited) or closed.
  const resolvedAt =
    issue.state === 'closed' ? text(issue.closed_at) : undefined;
  return {
    repository,
    event: {
      type: 'incident',
      id: `github:${repository}:issue:${issue.number}`,
      createdAt: issue.created_at,
      ...(resolvedAt ? { resolvedAt } : {}),
      // A reopened issue is newer than its close: with the time of the change it replaces the resolved state, while a
      // late delivery of an older action is ignored.
      ...(text(issue.updated_at) ? { updatedAt: issue.updated_at } : {}),
      ...optionalUrl(httpUrl(issue.html_url)),
    },
  };
}

function optionalUrl(url: string | undefined): { url?: string } {
  return url ? { url } : {};
}
