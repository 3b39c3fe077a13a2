import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  DoraPagedList,
} from '@vitals/plugin-dora-common';
import { chunks } from '@vitals/backend-common';
import { Knex } from 'knex';
import {
  DataHealthCounts,
  IncidentListScope,
  PageOptions,
  WindowScope,
} from './DoraStore';
import {
  recoveredAtSql,
  recoveryMinutesSql,
  reworkIncidentIdSql,
  reworkSql,
} from './reworkSql';
import { rowToChange, rowToDeployment, rowToIncident } from './rows';
import { CHUNK, Int, num } from './sql';

/**
 * The drill-down lists behind every figure, the data-health report, and which entities have sent events and when.
 */
export class DoraDrillDownReader {
  constructor(private readonly db: Knex) {}

  async hasEvents(): Promise<boolean> {
    return !!(await this.db('dora_entities').first('entity_ref'));
  }

  async activity(
    entityRefs: string[],
  ): Promise<{ firstEventAt: number | null; lastEventAt: number | null }> {
    let firstEventAt: number | null = null;
    let lastEventAt: number | null = null;
    for (const batch of chunks([...new Set(entityRefs)], CHUNK)) {
      const [row] = await this.db('dora_entities')
        .whereIn('entity_ref', batch)
        .select(
          this.db.raw('min(first_event_at) as first'),
          this.db.raw('max(last_event_at) as last'),
        );
      if (row?.first !== null && row?.first !== undefined) {
        firstEventAt = Math.min(firstEventAt ?? Infinity, num(row.first));
        lastEventAt = Math.max(lastEventAt ?? -Infinity, num(row.last));
      }
    }
    return { firstEventAt, lastEventAt };
  }

  private async page<Row, T>(
    query: Knex.QueryBuilder,
    order: Array<[string, 'asc' | 'desc']>,
    options: PageOptions,
    map: (row: Row) => T,
  ): Promise<DoraPagedList<T>> {
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy(order.map(([column, o]) => ({ column, order: o })))
        .limit(options.limit)
        .offset(options.offset)
        .select('*'),
      query.clone().count({ count: '*' }),
    ]);
    return { items: (rows as Row[]).map(map), totalCount: num(count as Int) };
  }

  /**
   * A deployment's row with what the DORA 2024 rules say of it, for the rows of a page only: the incident that makes
   * it rework (counted deployments only), and its recovery time and instant.
   */
  private deploymentColumns(): Array<string | Knex.Raw> {
    return [
      'd.*',
      this.db.raw(
        `case when d.counted = 1 then ${reworkIncidentIdSql(
          'd',
        )} end as rework_incident_id`,
      ),
      this.db.raw(`${recoveryMinutesSql(this.db, 'd')} as recovery_minutes`),
      this.db.raw(`${recoveredAtSql('d')} as recovered_at`),
    ];
  }

  async listDeployments(
    scope: WindowScope & PageOptions & { failed?: boolean; rework?: boolean },
  ): Promise<DoraPagedList<DoraDeployment>> {
    const query = this.db('dora_deployments as d')
      .whereIn('d.entity_ref', scope.entityRefs)
      .where('d.counted', 1)
      .where('d.finished_at', '>=', scope.from)
      .where('d.finished_at', '<', scope.to);
    if (scope.failed !== undefined)
      query.where('d.failed', scope.failed ? 1 : 0);
    // The rework rate's own test of each row, so that the list is what the rate counts.
    if (scope.rework !== undefined)
      query.whereRaw(`${reworkSql('d')} = ?`, [scope.rework ? 1 : 0]);
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy([
          { column: 'd.finished_at', order: 'desc' },
          { column: 'd.id', order: 'desc' },
        ])
        .limit(scope.limit)
        .offset(scope.offset)
        .select(this.deploymentColumns()),
      query.clone().count({ count: '*' }),
    ]);
    return {
      items: rows.map(rowToDeployment),
      totalCount: num(count as Int),
    };
  }

  async listChanges(
    scope: WindowScope & PageOptions & { deploymentId?: string },
  ): Promise<DoraPagedList<DoraChange>> {
    const query = this.db('dora_changes');
    if (scope.deploymentId) {
      // The changes a deployment shipped are among those its commit list names: found through that list (the commits'
      // primary key, then exact lookups in the changes' (entity, sha) index) instead of an index on the changes'
      // deployment. The entities are filtered in the list, so that the lookups stay exact.
      query
        .where('deployment_id', scope.deploymentId)
        .whereIn(
          ['entity_ref', 'sha'],
          this.db('dora_deployment_commits')
            .where('deployment_id', scope.deploymentId)
            .whereIn('entity_ref', scope.entityRefs)
            .select('entity_ref', 'sha'),
        );
    } else {
      query
        .whereIn('entity_ref', scope.entityRefs)
        .where('deployed_at', '>=', scope.from)
        .where('deployed_at', '<', scope.to)
        .whereNotNull('lead_time_minutes');
    }
    return this.page(
      query,
      [
        ['deployed_at', 'desc'],
        ['id', 'asc'],
      ],
      scope,
      rowToChange,
    );
  }

  async listIncidents(
    scope: IncidentListScope,
  ): Promise<DoraPagedList<DoraIncident>> {
    const query = this.db('dora_incidents');
    if (scope.entityRefs) query.whereIn('entity_ref', scope.entityRefs);
    if (scope.deploymentId) {
      query.where('linked_deployment_id', scope.deploymentId);
      return this.page(
        query,
        [
          ['created_at', 'desc'],
          ['id', 'asc'],
        ],
        scope,
        rowToIncident,
      );
    }
    // By resolution (behind time to restore), or by creation: every incident opened in the window, resolved or not.
    const column = scope.window === 'created' ? 'created_at' : 'resolved_at';
    query.where(column, '>=', scope.from).where(column, '<', scope.to);
    return this.page(
      query,
      [
        [column, 'desc'],
        ['id', 'asc'],
      ],
      scope,
      rowToIncident,
    );
  }

  async getIncident(id: string): Promise<DoraIncident | undefined> {
    const row = await this.db('dora_incidents').where('id', id).first();
    return row ? rowToIncident(row) : undefined;
  }

  async dataHealth(
    entityRefs: string[] | undefined,
    sampleSize: number,
  ): Promise<DataHealthCounts> {
    const scoped = (table: string) => {
      const q = this.db(table);
      if (entityRefs) q.whereIn('entity_ref', entityRefs);
      return q;
    };
    const sample = async <Row, T>(
      q: Knex.QueryBuilder,
      order: string,
      map: (r: Row) => T,
      columns: Array<string | Knex.Raw> = ['*'],
    ) => {
      const [rows, [{ count }]] = await Promise.all([
        q
          .clone()
          .orderBy(order, 'desc')
          .orderBy('id')
          .limit(sampleSize)
          .select(columns),
        q.clone().count({ count: '*' }),
      ]);
      return { count: num(count as Int), sample: (rows as Row[]).map(map) };
    };
    const [
      changesNeverDeployed,
      incidentsWithoutDeployment,
      deploymentsWithoutCommits,
    ] = await Promise.all([
      // Open pull requests are not expected to be deployed yet.
      sample(
        scoped('dora_changes')
          .whereNull('deployment_id')
          .andWhere(q => q.whereNotNull('merged_at').orWhereNull('created_at')),
        'received_at',
        rowToChange,
      ),
      sample(
        scoped('dora_incidents').whereNull('linked_deployment_id'),
        'created_at',
        rowToIncident,
      ),
      sample(
        scoped('dora_deployments as d').where('commit_count', 0),
        'finished_at',
        rowToDeployment,
        this.deploymentColumns(),
      ),
    ]);
    return {
      changesNeverDeployed,
      incidentsWithoutDeployment,
      deploymentsWithoutCommits,
    };
  }

  async listEntityRefs(options: {
    entityRefs?: string[];
    after?: string;
    limit: number;
  }): Promise<string[]> {
    const query = this.db('dora_entities')
      .orderBy('entity_ref')
      .limit(options.limit);
    if (options.entityRefs) query.whereIn('entity_ref', options.entityRefs);
    if (options.after) query.where('entity_ref', '>', options.after);
    return query.pluck('entity_ref');
  }
}
