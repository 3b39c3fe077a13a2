import { Knex } from 'knex';
import { isPostgres } from './sql';

/*
 * The DORA 2024 rules as SQL over a deployments row aliased `d`, shared by the metrics and the drill-down so that a
 * deployment listed as rework is one the rework rate counts, and a listed recovery time one the median is taken over.
 */

/**
 * `from ... where ...` of the incidents whose restoration makes the counted deployment `d` rework: opened before it
 * finished and resolved at or after, linked to a deployment that finished before it, with no counted deployment of the
 * entity in between (so `d` is the first after the incident opened; ties all first). Read from the incidents' (entity,
 * created) index; the linked deployment is looked up by id only for an incident that already matches.
 */
export function reworkIncidentsSql(d: string): string {
  return `from dora_incidents ri
      where ri.entity_ref = ${d}.entity_ref and ri.created_at < ${d}.finished_at and ri.resolved_at >= ${d}.finished_at
        and ri.linked_deployment_id is not null
        and not exists (select 1 from dora_deployments rp
          where rp.entity_ref = ${d}.entity_ref and rp.counted = 1
            and rp.finished_at > ri.created_at and rp.finished_at < ${d}.finished_at)
        and exists (select 1 from dora_deployments rl
          where rl.id = ri.linked_deployment_id and rl.finished_at < ${d}.finished_at)`;
}

/**
 * 1 when the counted deployment `d` is rework, else 0: flagged by its sender, or the first counted deployment of its
 * entity finished after an incident was opened, at or before the incident was resolved, when the incident is linked
 * to a deployment that finished before `d` ({@link reworkIncidentsSql}).
 */
export function reworkSql(d: string): string {
  return `case when ${d}.rework = 1 or exists (
      select 1 ${reworkIncidentsSql(d)}
    ) then 1 else 0 end`;
}

/** The id of the incident that makes the counted deployment `d` rework by the incident rule (the earliest opened). */
export function reworkIncidentIdSql(d: string): string {
  return `(select ri.id ${reworkIncidentsSql(
    d,
  )} order by ri.created_at, ri.id limit 1)`;
}

/**
 * Minutes from the failed deployment `d`'s finish to the resolution of the last incident linked to it (at least 0);
 * null while one of them is open, or when none links to it.
 */
export function recoveryMinutesSql(db: Knex, d: string): string {
  const real = isPostgres(db) ? 'double precision' : 'real';
  return `(select case when count(*) = count(fi.resolved_at)
             then case when max(fi.resolved_at) < ${d}.finished_at then 0
                       else cast(max(fi.resolved_at) - ${d}.finished_at as ${real}) / 60000 end
           end
           from dora_incidents fi where fi.linked_deployment_id = ${d}.id)`;
}

/** When the last incident linked to `d` was resolved (epoch ms); null as for {@link recoveryMinutesSql}. */
export function recoveredAtSql(d: string): string {
  return `(select case when count(*) = count(fi.resolved_at) then max(fi.resolved_at) end
           from dora_incidents fi where fi.linked_deployment_id = ${d}.id)`;
}
