import { doraEventSchema } from '@vitals/plugin-dora-common';
import { fastParseDoraEvent } from './fastEventParse';

const deployment = {
  type: 'deployment',
  id: 'payments-api-prod-1871',
  entityRef: 'component:default/payments-api',
  environment: 'production',
  status: 'success',
  startedAt: '2026-11-25T15:00:00.000Z',
  finishedAt: '2026-11-25T15:12:00.000Z',
  commitShas: ['9f3c2e1', '77ab01d'],
  url: 'https://ci.example.com/runs/1871',
  updatedAt: '2026-11-25T15:13:00.000Z',
};
const change = {
  type: 'change',
  id: 'payments-api#412',
  entityRef: 'component:default/payments-api',
  sha: '9f3c2e1',
  authoredAt: '2026-11-25T09:12:00.000Z',
  createdAt: '2026-11-25T10:00:00.000Z',
  firstReviewAt: '2026-11-25T11:30:00.000Z',
  mergedAt: '2026-11-25T14:05:00.000Z',
  additions: 120,
  deletions: 31,
  author: 'jane',
  url: 'https://github.com/example-corp/payments-api/pull/412',
  updatedAt: '2026-11-25T14:06:00.000Z',
};
const incident = {
  type: 'incident',
  id: 'PD-Q1X2',
  entityRef: 'component:default/payments-api',
  createdAt: '2026-11-25T16:40:00.000Z',
  resolvedAt: '2026-11-25T17:10:00.000Z',
  severity: 'SEV2',
  deploymentId: 'payments-api-prod-1871',
  url: 'https://example.pagerduty.com/incidents/Q1X2',
  updatedAt: '2026-11-25T17:11:00.000Z',
};

/** Values a field may be sent with: the usual, other valid forms, and invalid ones. */
const TIMESTAMPS = [
  '2026-11-25T15:00:00.000Z',
  '2026-11-25T15:20:00.000Z',
  ' 2026-11-25T15:00:00.000Z ',
  '2026-11-25T15:00:00Z',
  '2026-11-25T16:00:00+01:00',
  '2026-11-25T16:00:00.000+0100',
  '2026-02-30T10:00:00.000Z',
  '2026-01-31T10:00:00.000Z',
  '2026-01-31T24:00:00.000Z',
  '1970-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '2099-12-31T23:59:59.999Z',
  '2100-01-01T00:00:00.000Z',
  '2026-11-25t15:00:00.000z',
  '2026-11-25',
  `2026-11-25T15:00:00.000Z${' '.repeat(60)}`,
  '',
  'yesterday',
  null,
  0,
  1764082800000,
];
const TEXTS = [
  'a',
  ' padded ',
  'tab\tinside',
  '\u00a0nbsp\u00a0',
  '',
  '   ',
  'x'.repeat(50),
  'x'.repeat(51),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  null,
  42,
  ['a'],
  {},
];
const REFS = [
  'component:default/payments-api',
  'Component:Default/Payments-API',
  'component:payments-api',
  ' component:default/a ',
  'payments-api',
  'component:default/a\u0000b',
  `component:default/${'a'.repeat(600)}`,
  '',
  null,
  7,
];
const URLS = [
  'https://example.com/x',
  'HTTP://EXAMPLE.COM',
  ' https://example.com/x ',
  'https://example.com/a b',
  'ftp://example.com',
  'example.com',
  `https://example.com/${'a'.repeat(2040)}`,
  '',
  null,
];

const LINES = [0, 12, 100_000_000, -1, 2.5, 100_000_001, '12', NaN, null];

const FIELD_VALUES: Record<string, unknown[]> = {
  type: ['deployment', 'change', 'incident', 'Deployment', '', null],
  id: TEXTS,
  sha: TEXTS,
  environment: TEXTS,
  author: TEXTS,
  severity: TEXTS,
  deploymentId: TEXTS,
  entityRef: REFS,
  url: URLS,
  rework: [true, false, 'true', 1, 0, null],
  status: ['success', 'failure', 'Success', 'pending', '', null],
  startedAt: TIMESTAMPS,
  finishedAt: TIMESTAMPS,
  authoredAt: TIMESTAMPS,
  createdAt: TIMESTAMPS,
  mergedAt: TIMESTAMPS,
  firstReviewAt: TIMESTAMPS,
  closedAt: TIMESTAMPS,
  additions: LINES,
  deletions: LINES,
  resolvedAt: TIMESTAMPS,
  updatedAt: TIMESTAMPS,
  commitShas: [
    [],
    ['a'],
    [' a ', 'b'],
    ['a', ''],
    ['a', null],
    ['x'.repeat(101)],
    Array.from({ length: 10_001 }, (_, i) => `s${i}`),
    'abc',
    null,
  ],
};

function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** The property the fast path must hold: whatever it accepts, the schema accepts with the same result. */
function expectAgreement(value: unknown): boolean {
  const fast = fastParseDoraEvent(value);
  const schema = doraEventSchema.safeParse(value);
  if (fast !== undefined) {
    expect({ value, success: schema.success }).toEqual({
      value,
      success: true,
    });
    expect({ value, parsed: fast }).toEqual({ value, parsed: schema.data });
    expect(Object.keys(fast).sort()).toEqual(Object.keys(schema.data!).sort());
    return true;
  }
  return false;
}

describe('fastParseDoraEvent', () => {
  it('parses the usual events exactly as the schema does', () => {
    for (const event of [
      deployment,
      { ...deployment, rework: true },
      { ...deployment, rework: false },
      change,
      incident,
    ]) {
      expect(expectAgreement(event)).toBe(true);
    }
    const { startedAt, url, updatedAt, ...bare } = deployment;
    expect(expectAgreement(bare)).toBe(true);
    expect(
      expectAgreement({
        type: 'change',
        id: 'c',
        entityRef: 'component:default/a',
        sha: 'a',
        mergedAt: '2026-11-25T14:05:00.000Z',
      }),
    ).toBe(true);
    expect(
      expectAgreement({
        type: 'incident',
        id: 'i',
        entityRef: 'Component:A',
        createdAt: '2026-11-25T16:40:00.000Z',
      }),
    ).toBe(true);
  });

  it('accepts nothing the schema refuses, and returns what the schema returns, for every field value alone', () => {
    let fast = 0;
    let total = 0;
    for (const base of [deployment, change, incident]) {
      for (const [field, values] of Object.entries(FIELD_VALUES)) {
        for (const v of values) {
          total++;
          if (expectAgreement({ ...base, [field]: v })) fast++;
        }
        const { [field]: _, ...without } = base as Record<string, unknown>;
        total++;
        if (expectAgreement(without)) fast++;
      }
      total += 3;
      if (expectAgreement({ ...base, unknown: 1 })) fast++;
      if (expectAgreement({ ...base, url: undefined })) fast++;
      if (
        expectAgreement(JSON.parse(`{"__proto__": 1, "type": "${base.type}"}`))
      )
        fast++;
    }
    for (const other of [null, [], 'deployment', 1, [deployment]])
      expect(fastParseDoraEvent(other)).toBeUndefined();
    // The fast path takes a good part of the variations (the rest goes to the schema).
    expect(fast).toBeGreaterThan(total / 8);
  });

  it('agrees with the schema on random combinations of field values', () => {
    const random = seeded(11);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const fields = Object.keys(FIELD_VALUES);
    let fast = 0;
    for (let n = 0; n < 3000; n++) {
      const event: Record<string, unknown> = {
        ...pick([deployment, change, incident]),
      };
      for (let k = Math.floor(random() * 4); k > 0; k--) {
        const field = pick(fields);
        if (random() < 0.15) delete event[field];
        else event[field] = pick(FIELD_VALUES[field]);
      }
      if (expectAgreement(event)) fast++;
    }
    expect(fast).toBeGreaterThan(300);
  });

  it('leaves pipeline runs to the schema, which parses them', () => {
    const run = {
      type: 'pipelineRun',
      id: 'gha-run-90412',
      entityRef: 'component:default/payments-api',
      attempt: 1,
      pipeline: 'CI',
      branch: 'main',
      defaultBranch: 'main',
      sha: '9fceb02',
      trigger: 'push',
      status: 'success',
      queuedAt: '2026-11-25T10:31:05.000Z',
      startedAt: '2026-11-25T10:31:40.000Z',
      finishedAt: '2026-11-25T10:39:12.000Z',
    };
    expect(fastParseDoraEvent(run)).toBeUndefined();
    expect(doraEventSchema.parse(run)).toEqual(run);
  });
});
