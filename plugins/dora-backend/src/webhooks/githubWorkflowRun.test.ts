import { doraEventSchema } from '@vitals/plugin-dora-common';
import { GITHUB_TOPICS, mapGithubEvent } from './github';
import { workflowRunPayload } from './__testUtils__/workflowRunPayload';

const REPO = 'example-corp/payments-api';
const ID = `github:${REPO}:run:11823409571`;
const valid = (event: object) =>
  doraEventSchema.parse({
    ...event,
    entityRef: 'component:default/payments-api',
  });

describe('mapGithubEvent for workflow_run', () => {
  it('is a topic DORA subscribes to', () => {
    expect(GITHUB_TOPICS).toContain('github.workflow_run');
  });

  it('maps requested, in_progress and completed to one run that moves from queued to its conclusion', () => {
    const requested = mapGithubEvent(
      'workflow_run',
      workflowRunPayload({
        action: 'requested',
        status: 'queued',
        conclusion: null,
        updatedAt: '2026-11-25T10:31:05Z',
      }),
    );
    const base = {
      type: 'pipelineRun',
      id: ID,
      attempt: 1,
      pipeline: 'CI',
      branch: 'main',
      defaultBranch: 'main',
      sha: '4f1c2a9be0d3a7c61f5e08b2d9c4a1e7b3f60d12',
      trigger: 'push',
      queuedAt: '2026-11-25T10:31:05Z',
      url: `https://github.com/${REPO}/actions/runs/11823409571`,
    };
    expect(requested).toEqual({
      repository: REPO,
      event: { ...base, status: 'queued', updatedAt: '2026-11-25T10:31:05Z' },
    });
    const running = mapGithubEvent(
      'workflow_run',
      workflowRunPayload({
        action: 'in_progress',
        status: 'in_progress',
        conclusion: null,
        updatedAt: '2026-11-25T10:31:20Z',
      }),
    );
    expect(running?.event).toEqual({
      ...base,
      status: 'in_progress',
      startedAt: '2026-11-25T10:31:09Z',
      updatedAt: '2026-11-25T10:31:20Z',
    });
    const completed = mapGithubEvent('workflow_run', workflowRunPayload());
    expect(completed?.event).toEqual({
      ...base,
      status: 'success',
      startedAt: '2026-11-25T10:31:09Z',
      finishedAt: '2026-11-25T10:39:12Z',
      updatedAt: '2026-11-25T10:39:12Z',
    });
    for (const mapped of [requested, running, completed])
      expect(valid(mapped!.event)).toMatchObject({ type: 'pipelineRun' });
  });

  it.each([
    ['success', 'success'],
    ['failure', 'failure'],
    ['timed_out', 'failure'],
    ['startup_failure', 'failure'],
    ['cancelled', 'cancelled'],
    ['stale', 'cancelled'],
    ['skipped', 'skipped'],
    ['neutral', 'skipped'],
    // Waiting for an approval, or no conclusion: not an outcome, ignored.
    ['action_required', undefined],
    [null, undefined],
  ])('maps the conclusion %s to %s', (conclusion, status) => {
    const event = mapGithubEvent(
      'workflow_run',
      workflowRunPayload({ conclusion }),
    )?.event as { status?: string } | undefined;
    expect(event?.status).toBe(status);
  });

  it('queues a re-run at its own start, keeps the run id and reads the trigger and branch', () => {
    const rerun = mapGithubEvent(
      'workflow_run',
      workflowRunPayload({
        runAttempt: 2,
        headBranch: 'feature/ledger-retries',
        event: 'workflow_dispatch',
        runStartedAt: '2026-11-25T11:02:00Z',
        updatedAt: '2026-11-25T11:09:30Z',
      }),
    );
    expect(rerun?.event).toMatchObject({
      id: ID,
      attempt: 2,
      branch: 'feature/ledger-retries',
      defaultBranch: 'main',
      trigger: 'manual',
      queuedAt: '2026-11-25T11:02:00Z',
      startedAt: '2026-11-25T11:02:00Z',
      finishedAt: '2026-11-25T11:09:30Z',
    });
    expect(valid(rerun!.event)).toMatchObject({ attempt: 2 });
  });

  it('ignores other actions and payloads without what a run needs', () => {
    const payload = workflowRunPayload();
    expect(
      mapGithubEvent('workflow_run', { ...payload, action: 'deleted' }),
    ).toBeUndefined();
    const { default_branch: _, ...repository } = payload.repository;
    expect(
      mapGithubEvent('workflow_run', { ...payload, repository }),
    ).toBeUndefined();
    expect(
      mapGithubEvent('workflow_run', {
        ...payload,
        workflow_run: { ...payload.workflow_run, head_sha: null },
      }),
    ).toBeUndefined();
  });
});
