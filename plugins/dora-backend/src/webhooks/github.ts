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
  /**
   * A pull request or a review of one: GitHub's payload tells only part of the change, so the webhook ingestor
   * completes it from the stored change (see `completeFromStored`).
   */
  completes?: 'pull-request' | 'review';
}

/** The topics the GitHub events module publishes (`github.<X-GitHub-Event>`) that carry DORA events. */
export const GITHUB_TOPICS = [
  'github.deployment_status',
  'github.pull_request',
  'github.pull_request_review',
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
 *   (coding time) unless CI sends it. Open and not a draft: an open pull request (sha = head commit), waiting for a
 *   review until one arrives; closed without merging: a change with `closedAt`. Each with its size (additions,
 *   deletions);
 * - `pull_request_review` submitted by someone other than the author, not dismissed: the pull request with that review
 *   as its `firstReviewAt` (the ingestor keeps the earliest);
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
    case 'pull_request_review':
      return mapPullRequestReview(repository, payload);
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

/** The pull request's size, where the payload has it (GitHub's `pull_request` events do, its review events do not). */
function sizeOf(pr: Json): { additions?: number; deletions?: number } {
  const lines = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  const additions = lines(pr.additions);
  const deletions = lines(pr.deletions);
  return {
    ...(additions !== undefined ? { additions } : {}),
    ...(deletions !== undefined ? { deletions } : {}),
  };
}

/** When GitHub last changed the pull request, as the version of an open or closed one (a reopen is newer). */
function updatedAtOf(pr: Json, createdAt: string): { updatedAt?: string } {
  const updatedAt = text(pr.updated_at);
  return updatedAt && Date.parse(updatedAt) >= Date.parse(createdAt)
    ? { updatedAt }
    : {};
}

function mapPullRequest(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const pr = payload.pull_request;
  if (pr?.number === undefined) return undefined;
  const id = `github:${repository}:pull:${pr.number}`;
  const author = text(pr.user?.login);
  const createdAt = text(pr.created_at);
  const common = {
    ...(author ? { author } : {}),
    ...optionalUrl(httpUrl(pr.html_url)),
    ...sizeOf(pr),
  };
  if (payload.action === 'closed' && pr.merged) {
    if (!text(pr.merged_at) || !text(pr.merge_commit_sha)) return undefined;
    // The first commit's author date, where a relay added the commits to the payload; GitHub itself sends only a count.
    const firstCommit = Array.isArray(pr.commits) ? pr.commits[0] : undefined;
    const authoredAt =
      text(firstCommit?.commit?.author?.date) ?? text(firstCommit?.timestamp);
    return {
      repository,
      completes: 'pull-request',
      event: {
        type: 'change',
        id,
        sha: pr.merge_commit_sha,
        ...(authoredAt ? { authoredAt } : {}),
        ...(createdAt ? { createdAt } : {}),
        mergedAt: pr.merged_at,
        ...common,
      },
    };
  }
  const headSha = text(pr.head?.sha);
  if (!createdAt || !headSha || pr.merged || text(pr.merged_at))
    return undefined;
  if (pr.state === 'open') {
    // A draft does not wait for a review; it does once it is marked ready (`ready_for_review`).
    if (pr.draft) return undefined;
    return {
      repository,
      completes: 'pull-request',
      event: {
        type: 'change',
        id,
        sha: headSha,
        createdAt,
        ...common,
        ...updatedAtOf(pr, createdAt),
      },
    };
  }
  const closedAt = text(pr.closed_at);
  if (pr.state !== 'closed' || !closedAt) return undefined;
  return {
    repository,
    completes: 'pull-request',
    event: {
      type: 'change',
      id,
      sha: headSha,
      createdAt,
      closedAt,
      ...common,
      ...updatedAtOf(pr, createdAt),
    },
  };
}

/** Review states that are no review of the pull request: a dismissed one, and one still being written. */
const NOT_A_REVIEW = new Set(['dismissed', 'pending']);

/**
 * A review submitted by someone other than the pull request's author (DevLake's first review: the earliest review
 * comment not by the author). The pull request as the payload tells it (no size), with the review as its first one;
 * the ingestor keeps the earliest review and what the payload does not tell from the stored change.
 */
function mapPullRequestReview(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const { review, pull_request: pr } = payload;
  if (payload.action !== 'submitted' || pr?.number === undefined)
    return undefined;
  const state = String(review?.state ?? '').toLocaleLowerCase('en-US');
  const submittedAt = text(review?.submitted_at);
  const reviewer = text(review?.user?.login);
  const author = text(pr.user?.login);
  if (NOT_A_REVIEW.has(state) || !submittedAt || !reviewer) return undefined;
  if (
    author &&
    reviewer.toLocaleLowerCase('en-US') === author.toLocaleLowerCase('en-US')
  )
    return undefined;
  const createdAt = text(pr.created_at);
  const mergedAt = text(pr.merged_at);
  const sha = mergedAt ? text(pr.merge_commit_sha) : text(pr.head?.sha);
  if (!createdAt || !sha) return undefined;
  const closedAt =
    !mergedAt && pr.state === 'closed' ? text(pr.closed_at) : undefined;
  return {
    repository,
    completes: 'review',
    event: {
      type: 'change',
      id: `github:${repository}:pull:${pr.number}`,
      sha,
      createdAt,
      ...(mergedAt ? { mergedAt } : {}),
      ...(closedAt ? { closedAt } : {}),
      firstReviewAt: submittedAt,
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
