import type {
  ScorecardDefinition,
  PromotionOrigin,
} from '@vitals/plugin-scorecards-common';

/** What merging needs of a stored promotion. */
export interface PromotionToMerge {
  id: string;
  scorecardId: string;
  checkId: string;
  levelId: string;
  configuredLevel: string;
  origin: PromotionOrigin;
  createdAt: string;
  createdBy: string;
  version: number;
}

/** Whether a promotion can change `definitions`: its scorecard, check and level are still configured. */
export function promotionApplies(
  definitions: ScorecardDefinition[],
  p: Pick<PromotionToMerge, 'scorecardId' | 'checkId' | 'levelId'>,
): boolean {
  const card = definitions.find(d => d.id === p.scorecardId);
  return Boolean(
    card &&
      card.checks.some(c => c.id === p.checkId) &&
      card.levels.some(l => l.id === p.levelId),
  );
}

/**
 * The configured definitions with the promotions in force applied: a promoted check counts towards the promotion's
 * level and carries `promotion` (its origin and the configured level). A promotion whose scorecard, check or level the
 * configuration no longer has changes nothing. Returns new objects; `configured` is left as it is.
 */
export function mergePromotions(
  configured: ScorecardDefinition[],
  promotions: PromotionToMerge[],
): ScorecardDefinition[] {
  if (promotions.length === 0) return configured;
  const byCheck = new Map(
    promotions
      .filter(p => promotionApplies(configured, p))
      .map(p => [`${p.scorecardId}\u0000${p.checkId}`, p]),
  );
  if (byCheck.size === 0) return configured;
  return configured.map(card => {
    if (!card.checks.some(c => byCheck.has(`${card.id}\u0000${c.id}`)))
      return card;
    return {
      ...card,
      checks: card.checks.map(check => {
        const p = byCheck.get(`${card.id}\u0000${check.id}`);
        if (!p) return check;
        return {
          ...check,
          level: p.levelId,
          promotion: {
            id: p.id,
            configuredLevel: check.level,
            origin: p.origin,
            promotedAt: p.createdAt,
            promotedBy: p.createdBy,
            version: p.version,
          },
        };
      }),
    };
  });
}
