import { LatencySummary, summarize } from './stats';

/**
 * Milliseconds since `start`, a `process.hrtime.bigint()` reading.
 *
 * @public
 */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs `run` warmup + runs times, one after the other, and summarises the timings of all but the warm-up runs.
 *
 * @public
 */
export async function timeSequential(
  options: { runs: number; warmup?: number },
  run: (index: number) => Promise<void>,
): Promise<LatencySummary> {
  const warmup = options.warmup ?? 0;
  const timings: number[] = [];
  for (let i = 0; i < warmup + options.runs; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    if (i >= warmup) timings.push(elapsedMs(start));
  }
  return summarize(timings);
}

/**
 * One kind of request a bench times: a GET that must answer 200 with JSON.
 *
 * @public
 */
export interface RequestScenario {
  name: string;
  /** The path below the server's base URL, called for every request (so that it can vary). */
  url: () => string;
  headers?: () => Record<string, string>;
  /** Throws when an answer is not what the seeded data must give, so that a fast wrong answer is not a figure. */
  check?: (body: any) => void;
}

/**
 * Latency figures of a scenario, with the last answer (for a line that says what was read).
 *
 * @public
 */
export interface ScenarioResult extends LatencySummary {
  name: string;
  lastBody: any;
}

/**
 * Sends warmup + requests GET requests of a scenario one after the other and times each until its body is read. Fails
 * on any answer other than 200 or one that the scenario's check rejects.
 *
 * @public
 */
export async function timeRequests(
  base: string,
  scenario: RequestScenario,
  options: { requests: number; warmup: number },
): Promise<ScenarioResult> {
  let lastBody: unknown;
  const summary = await timeSequential(
    { runs: options.requests, warmup: options.warmup },
    async () => {
      const res = await fetch(`${base}${scenario.url()}`, {
        headers: scenario.headers?.(),
      });
      const body = await res.json();
      if (res.status !== 200)
        throw new Error(
          `${scenario.name}: ${res.status} ${JSON.stringify(body)}`,
        );
      scenario.check?.(body);
      lastBody = body;
    },
  );
  return { name: scenario.name, ...summary, lastBody };
}

/**
 * {@link timeRequests} for each scenario in turn, with the same numbers of requests.
 *
 * @public
 */
export async function timeScenarios(
  base: string,
  scenarios: readonly RequestScenario[],
  options: { requests: number; warmup: number },
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios)
    results.push(await timeRequests(base, scenario, options));
  return results;
}
