import os from 'node:os';
import { LatencySummary } from './stats';

/**
 * Milliseconds with one decimal, right-aligned in a 7-character column.
 *
 * @public
 */
export function formatMs(ms: number): string {
  return ms.toFixed(1).padStart(7);
}

/**
 * A row of a latency table: a scenario's figures and, optionally, a last column such as its target.
 *
 * @public
 */
export interface LatencyRow
  extends Pick<LatencySummary, 'p50' | 'p95' | 'max'> {
  name: string;
  note?: string;
}

/**
 * A header line and one line per scenario: name, p50, p95 and max in ms, then the note column when there is one.
 *
 * @public
 */
export function latencyTable(
  rows: readonly LatencyRow[],
  options: { nameWidth: number; noteHeader?: string },
): string[] {
  const note = (text?: string) =>
    options.noteHeader === undefined ? '' : `  ${text ?? ''}`;
  return [
    `${'scenario'.padEnd(options.nameWidth)} ${'p50 ms'.padStart(
      7,
    )} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}${note(
      options.noteHeader,
    )}`,
    ...rows.map(r =>
      `${r.name.padEnd(options.nameWidth)} ${formatMs(r.p50)} ${formatMs(
        r.p95,
      )} ${formatMs(r.max)}${note(r.note)}`.trimEnd(),
    ),
  ];
}

/**
 * The load average over 1, 5 and 15 minutes, as `uptime` shows it: other processes on the machine skew every figure.
 *
 * @public
 */
export function loadAverage(): string {
  return os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(', ');
}

/**
 * The load average at the end of a run and the number of cores, as a line for a bench's figures.
 *
 * @public
 */
export function loadAverageLine(): string {
  return `Load average (1, 5, 15 min) at the end: ${loadAverage()} on ${
    os.cpus().length
  } cores`;
}

/**
 * Prints a bench's figures on standard output.
 *
 * @public
 */
export function printFigures(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
