import { chunks } from '@vitals/backend-common';
import { Knex } from 'knex';
import { CHUNK, Int, num, rowsPerStatement } from './sql';

/** A window of the flow org page: `[from, to)` in epoch milliseconds, and the large-PR threshold its figures use. */
export interface FlowFiguresWindow {
  from: number;
  to: number;
  largePrLines: number;
}

/** Figures kept for one group and window, with what they were computed from. */
export interface KeptFlowFigures {
  membersHash: string;
  /** The sum of the data versions of the group's entities when computed (a decimal string: it may pass 2^53). */
  dataVersion: string;
  /** JSON. */
  figures: string;
  /** When the data versions were read (epoch ms): the figures hold every write committed before it. */
  computedAt: number;
}

/** Whether kept figures were computed from these entities (their hash) and the data versions they have now: exact. */
export function keptFiguresHold(
  stored: KeptFlowFigures | undefined,
  membersHash: string,
  dataVersion: string | undefined,
): stored is KeptFlowFigures {
  return (
    stored !== undefined &&
    stored.membersHash === membersHash &&
    stored.dataVersion === dataVersion
  );
}

/** Figures of one group to keep (see {@link DoraFlowFiguresStore.kept}). */
export interface FlowFiguresToKeep {
  scopeRef: string;
  membersHash: string;
  dataVersion: string;
  /** JSON. */
  figures: string;
}

/** The flow org page's kept figures (`dora_flow_figures`): see the README, "Figures kept for the flow org page". */
export interface DoraFlowFiguresStore {
  /** For every set (a group ref and the entities it pools): the sum of the data versions of its entities. */
  dataVersions(scopes: Map<string, string[]>): Promise<Map<string, string>>;
  /** The figures kept for these groups and this window, by group ref. */
  kept(
    window: FlowFiguresWindow,
    scopeRefs: string[],
  ): Promise<Map<string, KeptFlowFigures>>;
  /**
   * Keeps figures computed from the data versions read at `computedAt`. A group's figures replace the kept ones only
   * when they are as new or newer, so that of two replicas computing the same group the later reading wins whatever
   * the order their writes arrive in.
   */
  keep(
    window: FlowFiguresWindow,
    computedAt: number,
    figures: FlowFiguresToKeep[],
  ): Promise<void>;
  /** Drops the figures computed before `before`. */
  dropComputedBefore(before: number): Promise<void>;
}

/**
 * Where a kind of kept figures lives: the flow org page's in `dora_flow_figures`, keyed also by the large-PR threshold
 * they were computed with; the pipeline table's in `dora_pipeline_figures`, keyed by group and window only.
 */
export interface KeptFiguresTable {
  name: 'dora_flow_figures' | 'dora_pipeline_figures';
  /** Whether the window's `largePrLines` is part of the key. */
  keyedByLargePrLines: boolean;
}

export const FLOW_FIGURES_TABLE: KeptFiguresTable = {
  name: 'dora_flow_figures',
  keyedByLargePrLines: true,
};

export const PIPELINE_FIGURES_TABLE: KeptFiguresTable = {
  name: 'dora_pipeline_figures',
  keyedByLargePrLines: false,
};

/** See {@link DoraFlowFiguresStore}. */
export class DoraFlowFigures implements DoraFlowFiguresStore {
  constructor(
    private readonly db: Knex,
    private readonly versions: (
      scopes: Map<string, string[]>,
    ) => Promise<Map<string, { version: bigint }>>,
    private readonly table: KeptFiguresTable = FLOW_FIGURES_TABLE,
  ) {}

  /** The key columns of a window. */
  private windowKey(window: FlowFiguresWindow): Record<string, number> {
    return this.table.keyedByLargePrLines
      ? {
          window_from: window.from,
          window_to: window.to,
          large_pr_lines: window.largePrLines,
        }
      : { window_from: window.from, window_to: window.to };
  }

  async dataVersions(
    scopes: Map<string, string[]>,
  ): Promise<Map<string, string>> {
    const found = await this.versions(scopes);
    return new Map(
      [...scopes.keys()].map(ref => [
        ref,
        String(found.get(ref)?.version ?? 0n),
      ]),
    );
  }

  async kept(
    window: FlowFiguresWindow,
    scopeRefs: string[],
  ): Promise<Map<string, KeptFlowFigures>> {
    const found = new Map<string, KeptFlowFigures>();
    for (const batch of chunks(scopeRefs, CHUNK)) {
      const rows: Array<{
        scope_ref: string;
        members_hash: string;
        data_version: Int;
        figures: string;
        computed_at: Int;
      }> = await this.db(this.table.name)
        .where(this.windowKey(window))
        .whereIn('scope_ref', batch)
        .select(
          'scope_ref',
          'members_hash',
          'data_version',
          'figures',
          'computed_at',
        );
      for (const r of rows)
        found.set(r.scope_ref, {
          membersHash: r.members_hash,
          dataVersion: String(r.data_version),
          figures: r.figures,
          computedAt: num(r.computed_at),
        });
    }
    return found;
  }

  async keep(
    window: FlowFiguresWindow,
    computedAt: number,
    figures: FlowFiguresToKeep[],
  ): Promise<void> {
    // In one order on every replica, so that two writes of the same groups lock their rows in the same order.
    const sorted = [...figures].sort((a, b) =>
      a.scopeRef < b.scopeRef ? -1 : 1,
    );
    const rows = sorted.map(f => ({
      scope_ref: f.scopeRef,
      ...this.windowKey(window),
      members_hash: f.membersHash,
      data_version: f.dataVersion,
      figures: f.figures,
      computed_at: computedAt,
    }));
    for (const batch of chunks(rows, rowsPerStatement(8))) {
      await this.db(this.table.name)
        .insert(batch)
        .onConflict(['scope_ref', ...Object.keys(this.windowKey(window))])
        .merge(['members_hash', 'data_version', 'figures', 'computed_at'])
        .where(
          `${this.table.name}.computed_at`,
          '<=',
          this.db.ref('excluded.computed_at'),
        );
    }
  }

  async dropComputedBefore(before: number): Promise<void> {
    await this.db(this.table.name).where('computed_at', '<', before).delete();
  }
}
