import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { timestampToIso } from '@vitals/common';
import type {
  PromotionOrigin,
  PromotionOriginKind,
} from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { Timestamp } from './helpers';
import {
  NewPromotion,
  PromotionStore,
  StoredPromotion,
} from './PromotionStore';

const TABLE = 'scorecard_check_promotions';

type PromotionRow = {
  id: string;
  scorecard_id: string;
  check_id: string;
  level_id: string;
  configured_level_id: string;
  origin_kind: string;
  origin_id: string | null;
  origin_title: string | null;
  created_at: Timestamp;
  created_by: string;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
  version: number;
  /** True on the promotion holding its check (unique with the check), null once withdrawn. */
  in_force?: boolean | number | null;
};

function rowToPromotion(row: PromotionRow): StoredPromotion {
  return {
    id: row.id,
    scorecardId: row.scorecard_id,
    checkId: row.check_id,
    levelId: row.level_id,
    configuredLevel: row.configured_level_id,
    origin: {
      kind: row.origin_kind as PromotionOriginKind,
      id: row.origin_id,
      title: row.origin_title,
    },
    createdAt: timestampToIso(row.created_at),
    createdBy: row.created_by,
    withdrawnAt:
      row.withdrawn_at === null ? null : timestampToIso(row.withdrawn_at),
    withdrawnBy: row.withdrawn_by,
    version: Number(row.version),
  };
}

const describeOrigin = (p: StoredPromotion) =>
  p.origin.kind === 'campaign'
    ? `campaign '${p.origin.title ?? p.origin.id}'`
    : p.createdBy;

/**
 * Promoted checks on knex (SQLite, PostgreSQL, MySQL), in `scorecard_check_promotions`. "One promotion in force per
 * check" is the unique index on (`scorecard_id`, `check_id`, `in_force`): `in_force` is true on the promotion holding
 * the check and null on withdrawn ones, so of two concurrent promotions of one check one wins and the other gets 409.
 * Takes a client whose migrations have run (`DatabaseScorecardsStore.create` runs them).
 */
export class DatabasePromotionStore implements PromotionStore {
  constructor(private readonly db: Knex) {}

  async promote(
    checks: NewPromotion[],
    origin: PromotionOrigin,
    actor: string,
    now: Date,
  ): Promise<Array<StoredPromotion & { created: boolean }>> {
    const conflict = (check: NewPromotion, existing?: StoredPromotion) =>
      new ConflictError(
        existing
          ? `Check '${check.checkId}' of '${
              check.scorecardId
            }' is already required at level '${
              existing.levelId
            }' (promoted by ${describeOrigin(
              existing,
            )} on ${existing.createdAt.slice(0, 10)}, promotion ${
              existing.id
            }); withdraw that promotion first to choose level '${
              check.levelId
            }'`
          : `Check '${check.checkId}' of '${check.scorecardId}' was promoted by someone else just now; reload and try again`,
      );
    let current: NewPromotion | undefined;
    try {
      return await this.db.transaction(async tx => {
        const out: Array<StoredPromotion & { created: boolean }> = [];
        for (const check of checks) {
          current = check;
          const key = {
            scorecard_id: check.scorecardId,
            check_id: check.checkId,
          };
          const held = await tx<PromotionRow>(TABLE)
            .where({ ...key, in_force: true })
            .first();
          if (held) {
            const existing = rowToPromotion(held);
            // Promoting again to the same level asks for what is already so: answer it, change nothing.
            if (existing.levelId !== check.levelId)
              throw conflict(check, existing);
            out.push({ ...existing, created: false });
            continue;
          }
          const row: PromotionRow = {
            id: randomUUID(),
            ...key,
            level_id: check.levelId,
            configured_level_id: check.configuredLevel,
            origin_kind: origin.kind,
            origin_id: origin.id,
            origin_title: origin.title,
            created_at: now,
            created_by: actor,
            withdrawn_at: null,
            withdrawn_by: null,
            version: 1,
          };
          await tx(TABLE).insert({ ...row, in_force: true });
          out.push({ ...rowToPromotion(row), created: true });
        }
        return out;
      });
    } catch (error) {
      if (isDatabaseConflictError(error) && current) throw conflict(current);
      throw error;
    }
  }

  async getPromotion(id: string): Promise<StoredPromotion | undefined> {
    const row = await this.db<PromotionRow>(TABLE).where({ id }).first();
    return row ? rowToPromotion(row) : undefined;
  }

  async listPromotions(options?: {
    includeWithdrawn?: boolean;
  }): Promise<StoredPromotion[]> {
    const query = this.db<PromotionRow>(TABLE).orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    if (!options?.includeWithdrawn) query.where({ in_force: true });
    return (await query).map(rowToPromotion);
  }

  async withdraw(
    id: string,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredPromotion> {
    return this.db.transaction(async tx => {
      const current = await tx<PromotionRow>(TABLE).where({ id }).first();
      if (!current) throw new NotFoundError(`No promotion with id '${id}'`);
      if (current.withdrawn_at !== null) {
        throw new ConflictError(
          `Promotion '${id}' was already withdrawn by ${current.withdrawn_by}`,
        );
      }
      if (Number(current.version) !== expectedVersion) {
        throw new ConflictError(
          `Promotion '${id}' was changed since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
        );
      }
      const values = {
        withdrawn_at: now,
        withdrawn_by: actor,
        version: expectedVersion + 1,
        in_force: null,
      };
      const count = await tx(TABLE)
        .where({ id, version: expectedVersion })
        .update(values);
      if (count !== 1) {
        throw new ConflictError(
          `Promotion '${id}' was changed concurrently; reload and try again`,
        );
      }
      return rowToPromotion({ ...current, ...values });
    });
  }
}
