/**
 * A `workflow_run` webhook as GitHub sends it for a run of the "CI" workflow, written for these tests from GitHub's
 * documented payload fields (trimmed to a realistic subset; the mapper reads only some of them). `action` and the
 * run's status, conclusion and times are set per test.
 */
export function workflowRunPayload(
  overrides: {
    action?: 'requested' | 'in_progress' | 'completed';
    status?: 'queued' | 'in_progress' | 'completed';
    conclusion?: string | null;
    runAttempt?: number;
    headBranch?: string;
    event?: string;
    createdAt?: string;
    runStartedAt?: string;
    updatedAt?: string;
    repository?: string;
    workflowName?: string;
  } = {},
): any {
  const repository = overrides.repository ?? 'example-corp/payments-api';
  const [owner, name] = repository.split('/');
  const runId = 11823409571;
  const attempt = overrides.runAttempt ?? 1;
  const workflowName = overrides.workflowName ?? 'CI';
  return {
    action: overrides.action ?? 'completed',
    workflow_run: {
      id: runId,
      name: workflowName,
      node_id: 'WFR_kwLOKx3vC88AAAACwLx9Yw',
      head_branch: overrides.headBranch ?? 'main',
      head_sha: '4f1c2a9be0d3a7c61f5e08b2d9c4a1e7b3f60d12',
      path: '.github/workflows/ci.yml',
      display_title: 'Retry ledger writes on serialization failures',
      run_number: 1482,
      event: overrides.event ?? 'push',
      status: overrides.status ?? 'completed',
      conclusion:
        overrides.conclusion === undefined ? 'success' : overrides.conclusion,
      workflow_id: 61230974,
      check_suite_id: 29931760418,
      url: `https://api.github.com/repos/${repository}/actions/runs/${runId}`,
      html_url: `https://github.com/${repository}/actions/runs/${runId}`,
      pull_requests: [],
      created_at: overrides.createdAt ?? '2026-11-25T10:31:05Z',
      updated_at: overrides.updatedAt ?? '2026-11-25T10:39:12Z',
      actor: { login: 'amira-haddad', id: 8812345, type: 'User' },
      run_attempt: attempt,
      run_started_at: overrides.runStartedAt ?? '2026-11-25T10:31:09Z',
      triggering_actor: { login: 'amira-haddad', id: 8812345, type: 'User' },
      jobs_url: `https://api.github.com/repos/${repository}/actions/runs/${runId}/jobs`,
      logs_url: `https://api.github.com/repos/${repository}/actions/runs/${runId}/logs`,
      head_commit: {
        id: '4f1c2a9be0d3a7c61f5e08b2d9c4a1e7b3f60d12',
        tree_id: 'a7d2e0c94b1f63e85d0c2b9a4f7e1d3c6b8a0f25',
        message: 'Retry ledger writes on serialization failures',
        timestamp: '2026-11-25T10:30:58Z',
        author: { name: 'Amira Haddad', email: 'amira@example.com' },
      },
      repository: { id: 702931558, name, full_name: repository },
    },
    workflow: {
      id: 61230974,
      name: workflowName,
      path: '.github/workflows/ci.yml',
      state: 'active',
    },
    repository: {
      id: 702931558,
      name,
      full_name: repository,
      private: true,
      owner: { login: owner, id: 90211834, type: 'Organization' },
      html_url: `https://github.com/${repository}`,
      default_branch: 'main',
    },
    organization: { login: owner, id: 90211834 },
    sender: { login: 'amira-haddad', id: 8812345, type: 'User' },
  };
}
