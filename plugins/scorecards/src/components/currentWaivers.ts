import type {
  AppliedWaiver,
  EntityScorecardResult,
  Waiver,
} from '@vitals/plugin-scorecards-common';

/**
 * The entity's results with the waivers in force now: a stored result keeps the waiver it was evaluated with until the
 * next evaluation, so a waiver withdrawn (or expired) since then is dropped, an edited one shows its current reason
 * and expiry, and one added since then shows already.
 */
export function withCurrentWaivers(
  results: EntityScorecardResult[],
  active: Waiver[],
): EntityScorecardResult[] {
  const byCheck = new Map(
    active.map(w => [`${w.scorecardId}\u0000${w.checkId}`, w]),
  );
  return results.map(result => ({
    ...result,
    checks: result.checks.map(outcome => {
      const waiver = byCheck.get(
        `${result.scorecardId}\u0000${outcome.checkId}`,
      );
      const applied: AppliedWaiver | null = waiver
        ? {
            id: waiver.id,
            reason: waiver.reason,
            expiresAt: waiver.expiresAt,
            createdBy: waiver.createdBy,
          }
        : null;
      return { ...outcome, waiver: applied };
    }),
  }));
}
