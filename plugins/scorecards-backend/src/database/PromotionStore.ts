import type {
  CheckPromotion,
  PromotionOrigin,
} from '@vitals/plugin-scorecards-common';

/** A check to promote, with the level it will count towards and the level its configured definition gives it. */
export interface NewPromotion {
  scorecardId: string;
  checkId: string;
  levelId: string;
  configuredLevel: string;
}

/** A stored promotion; `applied` is decided against the definitions, not by the store. */
export type StoredPromotion = Omit<CheckPromotion, 'applied'>;

/**
 * Persistence of promoted checks: at most one promotion in force per scorecard and check; withdrawals take the
 * version the caller last saw. Rows are kept after a withdrawal.
 */
export interface PromotionStore {
  /**
   * Promotes the checks in one transaction: all or none. A check already promoted to the same level keeps (and
   * answers) its promotion; one promoted to another level is a 409 naming it.
   */
  promote(
    checks: NewPromotion[],
    origin: PromotionOrigin,
    actor: string,
    now: Date,
  ): Promise<Array<StoredPromotion & { created: boolean }>>;
  getPromotion(id: string): Promise<StoredPromotion | undefined>;
  /** In force only unless `includeWithdrawn`; newest first. */
  listPromotions(options?: {
    includeWithdrawn?: boolean;
  }): Promise<StoredPromotion[]>;
  /** Withdraws a promotion; 409 when `expectedVersion` is not its current version or it is already withdrawn. */
  withdraw(
    id: string,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredPromotion>;
}
