import { normalizeEntityRef } from '@vitals/common';

/** A timestamp as the drivers return it: a Date (PostgreSQL), an ISO string or epoch milliseconds (SQLite). */
export type Timestamp = Date | string | number;

/** Rows per multi-row statement: keeps every driver under its bound-parameter limit (SQLite: 32766). */
export const CHUNK = 200;
/** Refs per `where in (...)`. */
export const IN_CHUNK = 500;

/**
 * The one spelling of an entity ref the stores keep and query: `kind:namespace/name`, lower-cased (en-US), as
 * `normalizeEntityRef` writes it. Every ref crossing a store's boundary goes through here, so that a caller holding
 * the catalog's spelling (`component:default/Payments-API`) finds what another caller stored.
 */
export function refKey(ref: string): string {
  return normalizeEntityRef(ref) ?? ref.trim().toLocaleLowerCase('en-US');
}

export function refKeyOrNull(ref: string | null | undefined): string | null {
  return ref ? refKey(ref) : null;
}
