import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { chunks } from '@vitals/backend-common';
import { timestampToIso } from '@vitals/common';
import type { Waiver } from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { IN_CHUNK, refKey, Timestamp } from './helpers';
import { NewWaiver, WaiverStore } from './WaiverStore';

type WaiverRow = {
  id: string;
  entity_ref: string;
  scorecard_id: string;
  check_id: string;
  reason: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  version: number;
  /** True on the waiver that holds its entity's check (unique with the key), null otherwise. */
  in_force?: boolean | number | null;
};

function rowToWaiver(row: WaiverRow): Waiver {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    scorecardId: row.scorecard_id,
    checkId: row.check_id,
    reason: row.reason,
    expiresAt: timestampToIso(row.expires_at),
    createdAt: timestampToIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: timestampToIso(row.updated_at),
    updatedBy: row.updated_by,
    revokedAt: row.revoked_at === null ? null : timestampToIso(row.revoked_at),
    revokedBy: row.revoked_by,
    version: Number(row.version),
  };
}

/**
 * Scorecard waivers on knex (SQLite, PostgreSQL, MySQL), in `scorecard_waivers`. "One waiver in force per entity and
 * check" is the unique index on (`entity_ref`, `scorecard_id`, `check_id`, `in_force`): `in_force` is true on the
 * waiver holding the check and null on withdrawn and replaced ones. Takes a client whose migrations have run
 * (`DatabaseScorecardsStore.create` runs them).
 */
export class DatabaseWaiverStore implements WaiverStore {
  constructor(private readonly db: Knex) {}

  async createWaiver(waiver: NewWaiver, actor: string): Promise<Waiver> {
    const now = new Date();
    const row: WaiverRow = {
      id: randomUUID(),
      entity_ref: refKey(waiver.entityRef),
      scorecard_id: waiver.scorecardId,
      check_id: waiver.checkId,
      reason: waiver.reason,
      expires_at: new Date(waiver.expiresAt),
      created_at: now,
      created_by: actor,
      updated_at: now,
      updated_by: actor,
      revoked_at: null,
      revoked_by: null,
      version: 1,
    };
    const key = {
      entity_ref: row.entity_ref,
      scorecard_id: row.scorecard_id,
      check_id: row.check_id,
    };
    const alreadyWaived = (id?: string) =>
      new ConflictError(
        `Check '${waiver.checkId}' of '${
          waiver.scorecardId
        }' is already waived for ${row.entity_ref}${
          id ? ` (waiver ${id})` : ''
        }; change that waiver instead`,
      );
    try {
      await this.db.transaction(async tx => {
        // One waiver in force per entity and check: a second one would make "which reason applies" ambiguous. The
        // unique index on (key, in_force) decides between concurrent requests; the read below only names the waiver.
        await this.releaseExpired(tx, key, now);
        const existing = await tx<WaiverRow>('scorecard_waivers')
          .where({ ...key, in_force: true })
          .first('id');
        if (existing) throw alreadyWaived(existing.id);
        await tx('scorecard_waivers').insert({ ...row, in_force: true });
      });
    } catch (error) {
      if (isDatabaseConflictError(error)) throw alreadyWaived();
      throw error;
    }
    return rowToWaiver(row);
  }

  /** An expired waiver holds its check until a new one replaces it: let go of it. */
  private async releaseExpired(
    tx: Knex.Transaction,
    key: { entity_ref: string; scorecard_id: string; check_id: string },
    now: Date,
    exceptId?: string,
  ) {
    const query = tx('scorecard_waivers')
      .where({ ...key, in_force: true })
      .where('expires_at', '<=', now);
    if (exceptId) query.whereNot({ id: exceptId });
    await query.update({ in_force: null });
  }

  async getWaiver(id: string): Promise<Waiver | undefined> {
    const row = await this.db<WaiverRow>('scorecard_waivers')
      .where({ id })
      .first();
    return row ? rowToWaiver(row) : undefined;
  }

  async listWaivers(options: {
    entityRef?: string;
    activeAt?: Date;
    limit: number;
  }): Promise<Waiver[]> {
    const query = this.db<WaiverRow>('scorecard_waivers')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit);
    if (options.entityRef)
      query.where({ entity_ref: refKey(options.entityRef) });
    if (options.activeAt)
      query.whereNull('revoked_at').where('expires_at', '>', options.activeAt);
    return (await query).map(rowToWaiver);
  }

  async listActiveWaivers(entityRefs: string[], now: Date): Promise<Waiver[]> {
    const waivers: Waiver[] = [];
    for (const refs of chunks([...new Set(entityRefs.map(refKey))], IN_CHUNK)) {
      const rows = await this.db<WaiverRow>('scorecard_waivers')
        .whereIn('entity_ref', refs)
        .whereNull('revoked_at')
        .where('expires_at', '>', now);
      waivers.push(...rows.map(rowToWaiver));
    }
    return waivers;
  }

  async updateWaiver(
    id: string,
    patch: { reason?: string; expiresAt?: string },
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver> {
    try {
      return await this.db.transaction(async tx => {
        const current = await tx<WaiverRow>('scorecard_waivers')
          .where({ id })
          .first();
        if (!current) throw new NotFoundError(`No waiver with id '${id}'`);
        if (current.revoked_at !== null) {
          throw new ConflictError(
            `Waiver '${id}' was withdrawn by ${current.revoked_by}; grant a new one instead`,
          );
        }
        if (Number(current.version) !== expectedVersion) {
          throw new ConflictError(
            `Waiver '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
          );
        }
        const now = new Date();
        const values: Partial<WaiverRow> = {
          updated_at: now,
          updated_by: actor,
          version: expectedVersion + 1,
        };
        if (patch.reason !== undefined) values.reason = patch.reason;
        if (patch.expiresAt !== undefined) {
          values.expires_at = new Date(patch.expiresAt);
          // A later expiry puts the waiver back in force: it takes its check again, unless another waiver holds it.
          const key = {
            entity_ref: current.entity_ref,
            scorecard_id: current.scorecard_id,
            check_id: current.check_id,
          };
          await this.releaseExpired(tx, key, now, id);
          values.in_force = true;
        }
        const count = await tx('scorecard_waivers')
          .where({ id, version: expectedVersion })
          .update(values);
        if (count !== 1)
          throw new ConflictError(
            `Waiver '${id}' was changed concurrently; reload and try again`,
          );
        return rowToWaiver({ ...current, ...values } as WaiverRow);
      });
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `Another waiver is in force for this check of the entity since waiver '${id}' expired; change that one instead`,
        );
      }
      throw error;
    }
  }

  async revokeWaiver(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver> {
    return this.db.transaction(async tx => {
      const current = await tx<WaiverRow>('scorecard_waivers')
        .where({ id })
        .first();
      if (!current) throw new NotFoundError(`No waiver with id '${id}'`);
      if (Number(current.version) !== expectedVersion) {
        throw new ConflictError(
          `Waiver '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
        );
      }
      if (current.revoked_at !== null) return rowToWaiver(current);
      const now = new Date();
      const values = {
        revoked_at: now,
        revoked_by: actor,
        updated_at: now,
        updated_by: actor,
        version: Number(current.version) + 1,
        in_force: null,
      };
      const count = await tx('scorecard_waivers')
        .where({ id, version: expectedVersion })
        .update(values);
      if (count !== 1) {
        throw new ConflictError(
          `Waiver '${id}' was changed concurrently; reload and try again`,
        );
      }
      return rowToWaiver({ ...current, ...values });
    });
  }
}
