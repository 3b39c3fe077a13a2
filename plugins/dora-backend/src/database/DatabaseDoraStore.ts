import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { migrateToLatest } from '@vitals/backend-common';
import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  DoraPagedList,
  DoraPipelineRun,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { productionEnvironmentSet } from '../ingest/productionEnvironments';
import { DoraDrillDownReader } from './DoraDrillDownReader';
import { DoraEventWriter } from './DoraEventWriter';
import { DoraFlowFigures, PIPELINE_FIGURES_TABLE } from './DoraFlowFigures';
import { DoraFlowReader } from './DoraFlowReader';
import { DoraLinker } from './DoraLinker';
import { DoraMetricsReader } from './DoraMetricsReader';
import {
  DoraPipelineReader,
  PipelineRunFacts,
  PipelineRunFilter,
} from './DoraPipelineReader';
import {
  DataHealthCounts,
  DeploymentDayRow,
  DoraIngestOutcome,
  DoraStore,
  MedianFigure,
  MetricInputRows,
  PageOptions,
  ScopeFigures,
  ScopesWindow,
  ScopeState,
  WeeklyMedianRow,
  WindowScope,
  IncidentListScope,
} from './DoraStore';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-dora-backend',
  'migrations',
);

/**
 * The DORA store on knex: SQLite for local use, PostgreSQL in production. A facade over its parts, each in a file of
 * its own: the event writer ({@link DoraEventWriter}) and the linker it uses ({@link DoraLinker}), the metrics reads
 * ({@link DoraMetricsReader}), the drill-down and health reads ({@link DoraDrillDownReader}), and the flow reads
 * ({@link DoraFlowReader}); `sql.ts` holds the SQL helpers they share and `rows.ts` the stored rows.
 */
export class DatabaseDoraStore implements DoraStore {
  static async create(options: {
    database: DatabaseService;
    productionEnvironments?: string[];
  }): Promise<DatabaseDoraStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    const linker = new DoraLinker(
      productionEnvironmentSet(options.productionEnvironments),
    );
    await linker.applyProductionEnvironments(client);
    return new DatabaseDoraStore(client, linker);
  }

  private readonly writer: DoraEventWriter;
  private readonly metrics: DoraMetricsReader;
  private readonly drillDown: DoraDrillDownReader;
  readonly flow: DoraFlowReader;
  readonly flowFigures: DoraFlowFigures;
  readonly pipelineFigures: DoraFlowFigures;
  private readonly pipelines: DoraPipelineReader;

  private constructor(db: Knex, linker: DoraLinker) {
    this.flow = new DoraFlowReader(db);
    this.writer = new DoraEventWriter(db, linker);
    this.metrics = new DoraMetricsReader(db);
    this.flowFigures = new DoraFlowFigures(db, scopes =>
      this.metrics.scopeVersions(scopes),
    );
    this.drillDown = new DoraDrillDownReader(db);
    this.pipelines = new DoraPipelineReader(db);
    this.pipelineFigures = new DoraFlowFigures(
      db,
      scopes => this.pipelines.scopeVersions(scopes),
      PIPELINE_FIGURES_TABLE,
    );
  }

  ingest(events: ParsedDoraEvent[]): Promise<DoraIngestOutcome> {
    return this.writer.ingest(events);
  }

  hasEvents(): Promise<boolean> {
    return this.drillDown.hasEvents();
  }

  deploymentDays(scope: WindowScope): Promise<DeploymentDayRow[]> {
    return this.metrics.deploymentDays(scope);
  }

  metricInputs(scope: WindowScope): Promise<MetricInputRows> {
    return this.metrics.metricInputs(scope);
  }

  hasCountedDeployment(scope: WindowScope): Promise<boolean> {
    return this.metrics.hasCountedDeployment(scope);
  }

  leadTime(scope: WindowScope): Promise<MedianFigure> {
    return this.metrics.leadTime(scope);
  }

  timeToRestore(scope: WindowScope): Promise<MedianFigure> {
    return this.metrics.timeToRestore(scope);
  }

  weeklyLeadTime(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    return this.metrics.weeklyLeadTime(scope);
  }

  weeklyTimeToRestore(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    return this.metrics.weeklyTimeToRestore(scope);
  }

  weeklyRecovery(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    return this.metrics.weeklyRecovery(scope);
  }

  deploymentDaysByScope(
    window: ScopesWindow,
  ): Promise<Map<string, DeploymentDayRow[]>> {
    return this.metrics.deploymentDaysByScope(window);
  }

  leadTimeByScope(window: ScopesWindow): Promise<Map<string, MedianFigure>> {
    return this.metrics.leadTimeByScope(window);
  }

  timeToRestoreByScope(
    window: ScopesWindow,
  ): Promise<Map<string, MedianFigure>> {
    return this.metrics.timeToRestoreByScope(window);
  }

  recoveryByScope(window: ScopesWindow): Promise<Map<string, MedianFigure>> {
    return this.metrics.recoveryByScope(window);
  }

  scopesWithCountedDeployment(window: ScopesWindow): Promise<Set<string>> {
    return this.metrics.scopesWithCountedDeployment(window);
  }

  scopeStates(
    window: ScopesWindow & { benchmark: string },
  ): Promise<Map<string, ScopeState>> {
    return this.metrics.scopeStates(window);
  }

  saveScopeFigures(
    window: { from: number; to: number; benchmark: string },
    figures: ScopeFigures[],
  ): Promise<void> {
    return this.metrics.saveScopeFigures(window, figures);
  }

  activity(
    entityRefs: string[],
  ): Promise<{ firstEventAt: number | null; lastEventAt: number | null }> {
    return this.drillDown.activity(entityRefs);
  }

  listDeployments(
    scope: WindowScope & PageOptions & { failed?: boolean; rework?: boolean },
  ): Promise<DoraPagedList<DoraDeployment>> {
    return this.drillDown.listDeployments(scope);
  }

  listChanges(
    scope: WindowScope & PageOptions & { deploymentId?: string },
  ): Promise<DoraPagedList<DoraChange>> {
    return this.drillDown.listChanges(scope);
  }

  listIncidents(
    scope: IncidentListScope,
  ): Promise<DoraPagedList<DoraIncident>> {
    return this.drillDown.listIncidents(scope);
  }

  getIncident(id: string): Promise<DoraIncident | undefined> {
    return this.drillDown.getIncident(id);
  }

  dataHealth(
    entityRefs: string[] | undefined,
    sampleSize: number,
  ): Promise<DataHealthCounts> {
    return this.drillDown.dataHealth(entityRefs, sampleSize);
  }

  pipelineRunFacts(scope: WindowScope): Promise<PipelineRunFacts[]> {
    return this.pipelines.runFacts(scope);
  }

  listPipelineRuns(
    scope: WindowScope & PageOptions & PipelineRunFilter,
  ): Promise<DoraPagedList<DoraPipelineRun>> {
    return this.pipelines.listRuns(scope);
  }

  hasPipelineRuns(): Promise<boolean> {
    return this.pipelines.hasRuns();
  }

  listEntityRefs(options: {
    entityRefs?: string[];
    after?: string;
    limit: number;
  }): Promise<string[]> {
    return this.drillDown.listEntityRefs(options);
  }
}
