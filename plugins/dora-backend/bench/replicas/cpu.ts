/*
 * CPU time spent by the processes of one bench run, read from /proc (Linux): the backend processes, the PostgreSQL
 * server processes serving this run's databases, and the bench itself. On a machine that others share, CPU time per
 * unit of work is steadier than wall-clock throughput, which depends on how many cores are left over.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process and all its threads, ms; undefined once it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: the fields after it are counted from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (
      ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
    );
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  backends: Map<string, number>;
  /** By process id: the CPU time and the database the process serves. */
  postgres: Map<number, { ms: number; database: string }>;
  bench: number;
}

/**
 * Reads the CPU time of the backends (by name) and of every PostgreSQL process connected to a database of the prefix
 * (`pids` lists them: `select pid from pg_stat_activity where datname like '<prefix>%'`).
 */
export function cpuSnapshot(
  backends: Array<{ name: string; pid: number }>,
  postgresProcesses: Array<{ pid: number; database: string }>,
): CpuSnapshot {
  const postgres = new Map<number, { ms: number; database: string }>();
  for (const { pid, database } of postgresProcesses) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) postgres.set(pid, { ms, database });
  }
  const usage = process.cpuUsage();
  return {
    backends: new Map(backends.map(b => [b.name, processCpuMs(b.pid) ?? 0])),
    postgres,
    bench: (usage.user + usage.system) / 1000,
  };
}

export interface CpuSpent {
  /** ms per backend name. */
  backends: Map<string, number>;
  /** ms of the PostgreSQL processes (those that started meanwhile count in full; those that ended are missed). */
  postgres: number;
  /** The same by database. */
  postgresByDatabase: Map<string, number>;
  bench: number;
  total: number;
}

/** What was spent between two snapshots. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSpent {
  const backends = new Map(
    [...after.backends].map(([name, ms]) => [
      name,
      ms - (before.backends.get(name) ?? 0),
    ]),
  );
  let postgres = 0;
  const postgresByDatabase = new Map<string, number>();
  for (const [pid, { ms, database }] of after.postgres) {
    const spent = ms - (before.postgres.get(pid)?.ms ?? 0);
    postgres += spent;
    postgresByDatabase.set(
      database,
      (postgresByDatabase.get(database) ?? 0) + spent,
    );
  }
  const bench = after.bench - before.bench;
  const total =
    [...backends.values()].reduce((sum, ms) => sum + ms, 0) + postgres + bench;
  return { backends, postgres, postgresByDatabase, bench, total };
}
