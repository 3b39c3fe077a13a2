import type { Entity } from '@backstage/catalog-model';
import type { FactValue } from '@vitals/plugin-scorecards-common';

export type { FactValue };

/** Describes one fact a provider yields. @public */
export interface FactDefinition {
  /** Unique across providers; prefix it with the provider's id, e.g. `techDebt.openCount`. */
  id: string;
  /** What the value means, for people writing checks. */
  description: string;
  /** The type of the value (null always means "no data"). */
  type: 'boolean' | 'number' | 'string' | 'string[]';
}

/** Facts of one entity: fact id → value. A fact left out (or null) is "no data" and fails its checks. @public */
export type EntityFacts = Record<string, FactValue>;

/** One call of a provider: a batch of entities and the facts the scorecards need from it. @public */
export interface FactRequest {
  /** Full catalog entities, at most the provider's `batchSize`. */
  entities: Entity[];
  /** The ids, among the provider's `facts`, that some applicable scorecard checks. */
  factIds: string[];
  /**
   * Tells the evaluation that the facts of one entity could not be read (its source failed: a timeout, a 5xx, the
   * backend down), as opposed to "there is nothing to measure". The entity's checks on this provider's facts then keep
   * their last known outcome, marked stale, and no level change is notified. Call it for each failed entity and leave
   * the entity out of the answer (or throw, which marks the whole batch failed). Absent when a provider is called
   * outside an evaluation, e.g. in a test.
   */
  reportFailure?: (entityRef: string, error: unknown) => void;
}

/**
 * A source of facts about catalog entities, e.g. the catalog itself, the tech-debt register or an adopter's own
 * system. Providers are called in batches so that 10,000 entities do not mean 10,000 calls per provider: a provider
 * that talks to an HTTP API should fetch the whole batch in as few requests as it can.
 *
 * @public
 */
export interface FactProvider {
  /** Unique id, e.g. `catalog`, `techDebt`. */
  id: string;
  /** The facts this provider can yield. */
  facts: FactDefinition[];
  /** Largest batch the provider wants (default 500). */
  batchSize?: number;
  /**
   * Facts for a batch of entities, keyed by the entity ref (`kind:namespace/name`; the evaluation normalises the key
   * with `normalizeEntityRef` of `@vitals/common`, so any spelling of the entity's full ref matches). Entities left out
   * get "no data". A thrown error fails the whole batch for this provider: it is logged, the entities' checks on this
   * provider's facts keep their last known outcome (marked stale, no level change notified), and the evaluation goes
   * on.
   */
  getFacts(request: FactRequest): Promise<Map<string, EntityFacts>>;
}

/** What `scorecardsFactProvidersExtensionPoint` gives a module: a way to add fact providers. @public */
export interface ScorecardsFactProvidersExtensionPoint {
  /** Adds fact providers; fact ids must be unique across all providers. */
  addFactProvider(...providers: FactProvider[]): void;
}
