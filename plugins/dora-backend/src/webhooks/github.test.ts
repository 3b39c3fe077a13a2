import { doraEventSchema } from '@vitals/plugin-dora-common';
import { mapGithubEvent } from './github';
import { githubExamples } from './__testUtils__/githubExamples';

const valid = (event: object) =>
  doraEventSchema.parse({
    ...event,
    entityRef: 'component:default/payments-api',
  });

describe('mapGithubEvent', () => {
  it('maps a successful deployment_status to a deployment of the deployed sha', () => {
    const [payload] = githubExamples('deployment_status').filter(
      p => p.deployment_status.state === 'success',
    );
    const mapped = mapGithubEvent('deployment_status', payload);
    expect(mapped).toEqual({
      repository: payload.repository.full_name,
      event: {
        type: 'deployment',
        id: `github:${payload.repository.full_name}:deployment:${payload.deployment.id}`,
        environment: payload.deployment_status.environment,
        status: 'success',
        startedAt: payload.deployment.created_at,
        finishedAt: payload.deployment_status.created_at,
        commitShas: [payload.deployment.sha],
      },
    });
    expect(valid(mapped!.event)).toMatchObject({
      type: 'deployment',
      commitShas: [payload.deployment.sha],
    });
  });

  it('maps failure and error to a failed deployment and ignores statuses still in progress', () => {
    const [payload] = githubExamples('deployment_status');
    for (const [state, status] of [
      ['failure', 'failure'],
      ['error', 'failure'],
    ]) {
      payload.deployment_status.state = state;
      expect(mapGithubEvent('deployment_status', payload)?.event).toMatchObject(
        { status },
      );
    }
    const inProgress = githubExamples('deployment_status').find(
      p => p.deployment_status.state === 'in_progress',
    );
    expect(mapGithubEvent('deployment_status', inProgress)).toBeUndefined();
  });

  it('maps a merged pull request to a change with its size', () => {
    const all = githubExamples('pull_request');
    // GitHub's examples hold no merged pull request: a closed one, merged the way GitHub reports it.
    const payload = all.find(p => p.action === 'closed');
    payload.pull_request.merged = true;
    payload.pull_request.merged_at = '2019-05-15T16:00:00Z';
    const mapped = mapGithubEvent('pull_request', payload);
    expect(mapped).toEqual({
      repository: payload.repository.full_name,
      completes: 'pull-request',
      event: {
        type: 'change',
        id: `github:${payload.repository.full_name}:pull:${payload.number}`,
        sha: payload.pull_request.merge_commit_sha,
        createdAt: payload.pull_request.created_at,
        mergedAt: '2019-05-15T16:00:00Z',
        author: payload.pull_request.user.login,
        url: payload.pull_request.html_url,
        additions: payload.pull_request.additions,
        deletions: payload.pull_request.deletions,
      },
    });
    expect(valid(mapped!.event)).not.toHaveProperty('authoredAt');
  });

  it('maps an open pull request (not a draft) to one waiting for review, and one closed unmerged to closedAt', () => {
    const all = githubExamples('pull_request');
    const opened = all.find(
      p => p.action === 'opened' && !p.pull_request.draft,
    );
    const repo = opened.repository.full_name;
    expect(mapGithubEvent('pull_request', opened)).toEqual({
      repository: repo,
      completes: 'pull-request',
      event: {
        type: 'change',
        id: `github:${repo}:pull:${opened.pull_request.number}`,
        sha: opened.pull_request.head.sha,
        createdAt: opened.pull_request.created_at,
        author: opened.pull_request.user.login,
        url: opened.pull_request.html_url,
        additions: opened.pull_request.additions,
        deletions: opened.pull_request.deletions,
        updatedAt: opened.pull_request.updated_at,
      },
    });
    const draft = all.find(p => p.action === 'converted_to_draft');
    expect(mapGithubEvent('pull_request', draft)).toBeUndefined();

    const closed = all.find(p => p.action === 'closed');
    const event = valid(mapGithubEvent('pull_request', closed)!.event);
    expect(event).toMatchObject({
      sha: closed.pull_request.head.sha,
      closedAt: new Date(closed.pull_request.closed_at).toISOString(),
    });
    expect(event).not.toHaveProperty('mergedAt');
  });

  it('maps a review by someone other than the author to the first review, and ignores the rest', () => {
    const [payload] = githubExamples('pull_request_review').filter(
      p => p.action === 'submitted',
    );
    const repo = payload.repository.full_name;
    // GitHub's example is the author reviewing their own pull request: no first review.
    expect(payload.review.user.login).toBe(payload.pull_request.user.login);
    expect(mapGithubEvent('pull_request_review', payload)).toBeUndefined();

    payload.review.user.login = 'a-reviewer';
    expect(mapGithubEvent('pull_request_review', payload)).toEqual({
      repository: repo,
      completes: 'review',
      event: {
        type: 'change',
        id: `github:${repo}:pull:${payload.pull_request.number}`,
        sha: payload.pull_request.head.sha,
        createdAt: payload.pull_request.created_at,
        firstReviewAt: payload.review.submitted_at,
        author: payload.pull_request.user.login,
        url: payload.pull_request.html_url,
      },
    });
    for (const state of ['dismissed', 'PENDING']) {
      const other = structuredClone(payload);
      other.review.state = state;
      expect(mapGithubEvent('pull_request_review', other)).toBeUndefined();
    }
    const dismissed = githubExamples('pull_request_review').find(
      p => p.action === 'dismissed',
    );
    dismissed.review.user.login = 'a-reviewer';
    expect(mapGithubEvent('pull_request_review', dismissed)).toBeUndefined();
    // Of a merged pull request: the merge commit and the merge.
    const late = structuredClone(payload);
    Object.assign(late.pull_request, {
      state: 'closed',
      merged_at: '2019-05-16T10:00:00Z',
      merge_commit_sha: 'merge-sha',
    });
    expect(mapGithubEvent('pull_request_review', late)?.event).toMatchObject({
      sha: 'merge-sha',
      mergedAt: '2019-05-16T10:00:00Z',
    });
  });

  it('takes authoredAt from the first commit when the payload carries the commits', () => {
    const payload = githubExamples('pull_request').find(
      p => p.action === 'closed',
    );
    Object.assign(payload.pull_request, {
      merged: true,
      merged_at: '2019-05-15T16:00:00Z',
      commits: [{ commit: { author: { date: '2019-05-14T09:00:00Z' } } }],
    });
    expect(mapGithubEvent('pull_request', payload)?.event).toMatchObject({
      authoredAt: '2019-05-14T09:00:00Z',
    });
  });

  it('maps issues labelled incident: opened to an open incident, closed to a resolved one', () => {
    const opened = githubExamples('issues').find(p => p.action === 'opened');
    expect(mapGithubEvent('issues', opened)).toBeUndefined(); // labelled bug only
    opened.issue.labels.push({ ...opened.issue.labels[0], name: 'Incident' });
    const open = mapGithubEvent('issues', opened);
    expect(open).toEqual({
      repository: opened.repository.full_name,
      event: {
        type: 'incident',
        id: `github:${opened.repository.full_name}:issue:${opened.issue.number}`,
        createdAt: opened.issue.created_at,
        url: opened.issue.html_url,
        updatedAt: opened.issue.updated_at,
      },
    });
    expect(valid(open!.event)).not.toHaveProperty('resolvedAt');

    const closed = structuredClone(opened);
    Object.assign(closed, { action: 'closed' });
    Object.assign(closed.issue, {
      state: 'closed',
      closed_at: '2019-05-15T18:00:00Z',
    });
    expect(valid(mapGithubEvent('issues', closed)!.event)).toMatchObject({
      id: open!.event.id,
      resolvedAt: '2019-05-15T18:00:00.000Z',
    });

    // A reopened issue keeps GitHub's old closed_at but is open again.
    const reopened = githubExamples('issues').find(
      p => p.action === 'reopened',
    );
    reopened.issue.labels = [{ name: 'incident' }];
    expect(reopened.issue.closed_at).not.toBeNull();
    expect(mapGithubEvent('issues', reopened)?.event).not.toHaveProperty(
      'resolvedAt',
    );
    // ... and says when it was reopened, so that it replaces the resolved state (see the store's monotonic updates).
    expect(mapGithubEvent('issues', reopened)?.event).toHaveProperty(
      'updatedAt',
      reopened.issue.updated_at,
    );
  });

  it('ignores other events and payloads without a repository', () => {
    expect(mapGithubEvent('push', githubExamples('push')[0])).toBeUndefined();
    expect(mapGithubEvent('deployment_status', {})).toBeUndefined();
  });
});
