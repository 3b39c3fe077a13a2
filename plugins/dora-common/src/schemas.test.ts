import {
  doraEventSchema,
  flowPullRequestsQuerySchema,
  flowWaitingQuerySchema,
  ingestEventsRequestSchema,
  isoTimestampSchema,
  metricsQuerySchema,
} from './schemas';

describe('event schemas', () => {
  it('normalises refs and reads any ISO offset as a UTC instant', () => {
    const parsed = doraEventSchema.parse({
      type: 'deployment',
      id: 'd-1',
      entityRef: 'Component:Payments-API',
      environment: 'Production',
      status: 'success',
      finishedAt: '2026-01-07T00:30:00+0100',
      commitShas: ['abc'],
    });
    expect(parsed).toMatchObject({
      entityRef: 'component:default/payments-api',
      finishedAt: '2026-01-06T23:30:00.000Z',
    });
  });

  it('takes an optional boolean rework flag on a deployment, and the 2024 benchmark', () => {
    const base = {
      type: 'deployment',
      id: 'd-1',
      entityRef: 'component:default/a',
      environment: 'production',
      status: 'success',
      finishedAt: '2026-01-07T00:30:00Z',
      commitShas: [],
    };
    expect(doraEventSchema.parse({ ...base, rework: true })).toMatchObject({
      rework: true,
    });
    expect(doraEventSchema.parse(base)).not.toHaveProperty('rework');
    const result = ingestEventsRequestSchema.safeParse({
      events: [{ ...base, rework: 'yes' }],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['events', 0, 'rework']);
    expect(
      metricsQuerySchema.parse({
        entityRef: 'component:default/a',
        benchmark: '2024',
      }).benchmark,
    ).toBe('2024');
    expect(
      metricsQuerySchema.safeParse({
        entityRef: 'component:default/a',
        benchmark: '2025',
      }).success,
    ).toBe(false);
  });

  it('names the event index and field of a bad event', () => {
    const result = ingestEventsRequestSchema.safeParse({
      events: [
        {
          type: 'incident',
          id: 'i',
          entityRef: 'component:default/a',
          createdAt: '2026-01-06T10:00:00Z',
        },
        {
          type: 'incident',
          id: 'i',
          entityRef: 'component:default/a',
          createdAt: '2026-01-06 10:00',
        },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['events', 1, 'createdAt']);
  });

  it('defaults the window to the 90 days before now and the benchmark to 2023', () => {
    const q = metricsQuerySchema.parse({ entityRef: 'component:default/a' });
    expect(Date.parse(q.to) - Date.parse(q.from)).toBe(90 * 86_400_000);
    expect(q.benchmark).toBe('2023');
    expect(
      metricsQuerySchema.parse({
        entityRef: 'component:default/a',
        from: '2026-01-01',
        to: '2026-02-01',
      }).from,
    ).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['0001-01-01T00:00:00Z', 'authoredAt'],
    ['9999-01-01T00:00:00Z', 'mergedAt'],
    ['1969-12-31T23:59:59Z', 'createdAt'],
    ['2100-01-01T00:00:00Z', 'firstReviewAt'],
    ['2100-01-01T00:00:00Z', 'closedAt'],
    ['2100-01-01T00:00:00Z', 'updatedAt'],
  ])(
    'refuses %s as %s: every timestamp is from 1970 and before 2100',
    (value, field) => {
      const result = doraEventSchema.safeParse({
        type: 'change',
        id: 'c',
        entityRef: 'component:default/a',
        sha: 'abc',
        authoredAt: '2026-01-06T08:00:00Z',
        [field]: value,
      });
      expect(result.success).toBe(false);
      expect(result.error!.issues).toEqual([
        expect.objectContaining({
          path: [field],
          message: `'${value}' must be from 1970-01-01 and before 2100-01-01`,
        }),
      ]);
      expect(
        doraEventSchema.safeParse({
          type: 'change',
          id: 'c',
          entityRef: 'component:default/a',
          sha: 'abc',
          authoredAt: '1970-01-01T00:00:00Z',
          [field]: '2099-12-31T23:59:59Z',
        }).success,
      ).toBe(true);
    },
  );

  it('bounds windows by the same range', () => {
    const result = metricsQuerySchema.safeParse({
      entityRef: 'component:default/a',
      from: '0001-01-01',
      to: '0001-02-01',
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['from'],
      message: "'0001-01-01' must be from 1970-01-01 and before 2100-01-01",
    });
  });

  it('refuses a window day that is not on the calendar instead of rolling it into the next month', () => {
    const result = metricsQuerySchema.safeParse({
      entityRef: 'component:default/a',
      from: '2026-02-30',
      to: '2026-04-01',
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['from'],
      message: "'2026-02-30' is not a day of the calendar",
    });
    expect(
      metricsQuerySchema.parse({
        entityRef: 'component:default/a',
        from: '2024-02-29',
        to: '2024-04-01',
      }).from,
    ).toBe('2024-02-29T00:00:00.000Z');
  });

  it('takes updatedAt on every event type', () => {
    for (const event of [
      {
        type: 'incident',
        id: 'i',
        entityRef: 'component:default/a',
        createdAt: '2026-01-06T10:00:00Z',
      },
      {
        type: 'change',
        id: 'c',
        entityRef: 'component:default/a',
        sha: 'abc',
        mergedAt: '2026-01-06T10:00:00Z',
      },
      {
        type: 'deployment',
        id: 'd',
        entityRef: 'component:default/a',
        environment: 'prod',
        status: 'success',
        finishedAt: '2026-01-06T10:00:00Z',
        commitShas: [],
      },
    ]) {
      expect(
        doraEventSchema.parse({
          ...event,
          updatedAt: '2026-01-07T10:00:00+01:00',
        }),
      ).toMatchObject({ updatedAt: '2026-01-07T09:00:00.000Z' });
    }
  });

  it('caps the commit shas of one request over all its deployments', () => {
    const shas = Array.from({ length: 10_000 }, (_, i) => `sha-${i}`);
    const deployments = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        type: 'deployment',
        id: `d-${i}`,
        entityRef: 'component:default/a',
        environment: 'prod',
        status: 'success',
        finishedAt: '2026-01-06T10:00:00Z',
        commitShas: shas,
      }));
    expect(
      ingestEventsRequestSchema.safeParse({ events: deployments(20) }).success,
    ).toBe(true);
    const result = ingestEventsRequestSchema.safeParse({
      events: deployments(21),
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['events'],
      message: expect.stringContaining('at most 200000 commit shas'),
    });
  });
});

describe('isoTimestampSchema on timestamps already in UTC with milliseconds', () => {
  /** What the schema answers when it parses and formats every timestamp. */
  const parsedAndFormatted = (text: string) => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return 'not a timestamp';
    if (
      ms < Date.parse('1970-01-01T00:00:00Z') ||
      ms >= Date.parse('2100-01-01T00:00:00Z')
    )
      return 'out of range';
    return new Date(ms).toISOString();
  };
  const answer = (text: string) => {
    const result = isoTimestampSchema.safeParse(text);
    if (result.success) return result.data;
    return result.error.issues[0].message.includes('must be from 1970-01-01')
      ? 'out of range'
      : 'not a timestamp';
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');

  it('answers exactly what parsing and formatting gives, at the edges of days, months and the range', () => {
    const edges = [
      '2026-02-28T23:59:59.999Z',
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2099-12-31T23:59:59.999Z',
      '2100-01-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-13-10T00:00:00.000Z',
    ];
    for (const text of edges)
      expect([text, answer(text)]).toEqual([text, parsedAndFormatted(text)]);
  });

  it('answers exactly what parsing and formatting gives for thousands of timestamps of every field value', () => {
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const text = `${pad(1965 + next(140), 4)}-${pad(next(14))}-${pad(
        next(33),
      )}T${pad(next(26))}:${pad(next(61))}:${pad(next(61))}.${pad(
        next(1000),
        3,
      )}Z`;
      expect([text, answer(text)]).toEqual([text, parsedAndFormatted(text)]);
    }
  });
});

describe('pull request size and flow queries', () => {
  const change = {
    type: 'change',
    id: 'pr-1',
    entityRef: 'component:default/a',
    sha: 'abc',
    createdAt: '2026-01-06T08:00:00Z',
  };

  it('takes additions and deletions as whole numbers from 0', () => {
    expect(
      doraEventSchema.parse({ ...change, additions: 0, deletions: 512 }),
    ).toMatchObject({ additions: 0, deletions: 512 });
    for (const [field, value] of [
      ['additions', -1],
      ['deletions', 2.5],
      ['additions', '12'],
      ['deletions', 100_000_001],
    ] as const) {
      const result = doraEventSchema.safeParse({ ...change, [field]: value });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0].path).toEqual([field]);
    }
  });

  it('reads the flow drill-down filters and refuses unknown parts', () => {
    expect(
      flowPullRequestsQuerySchema.parse({
        entityRef: 'group:default/payments',
        from: '2026-01-05',
        to: '2026-02-02',
        part: 'review',
        unreviewed: 'true',
      }),
    ).toMatchObject({ part: 'review', unreviewed: true, limit: 100 });
    const bad = flowPullRequestsQuerySchema.safeParse({
      entityRef: 'group:default/payments',
      part: 'merge',
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['part']);
    expect(
      flowWaitingQuerySchema.safeParse({
        entityRef: 'group:default/payments',
        from: '2026-01-05',
      }).success,
    ).toBe(false);
  });
});
