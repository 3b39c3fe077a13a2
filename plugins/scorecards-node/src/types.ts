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
   * Facts for a batch of entities, keyed by the entity ref as `stringifyEntityRef` spells it (lower-case
   * `kind:namespace/name`). Entities left out get "no data". A thrown error makes this batch "no data" for this
   * provider's facts and is logged; the evaluation goes on.
   */
  getFacts(request: FactRequest): Promise<Map<string, EntityFacts>>;
}

/** @public */
export interface ScorecardsFactProvidersExtensionPoint {
  /** Adds fact providers; fact ids must be unique across all providers. */
  addFactProvider(...providers: FactProvider[]): void;
}
