import type { Waiver } from '@vitals/plugin-scorecards-common';

export interface NewWaiver {
  entityRef: string;
  scorecardId: string;
  checkId: string;
  reason: string;
  expiresAt: string;
}

/**
 * Persistence of scorecard waivers: at most one waiver in force per entity, scorecard and check; changes and
 * withdrawals take the version the caller last saw. Entity refs are normalised (`normalizeEntityRef`) in and out.
 */
export interface WaiverStore {
  createWaiver(waiver: NewWaiver, actor: string): Promise<Waiver>;
  getWaiver(id: string): Promise<Waiver | undefined>;
  /** An entity's waivers (or all), newest first; with `activeAt`, only those in force then. */
  listWaivers(options: {
    entityRef?: string;
    activeAt?: Date;
    limit: number;
  }): Promise<Waiver[]>;
  /** Waivers in force at `now` for these entities (not revoked, not expired). */
  listActiveWaivers(entityRefs: string[], now: Date): Promise<Waiver[]>;
  updateWaiver(
    id: string,
    patch: { reason?: string; expiresAt?: string },
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver>;
  /** Withdraws a waiver; 409 when `expectedVersion` is not its current version. */
  revokeWaiver(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver>;
}
