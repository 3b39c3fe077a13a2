import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  OWNERSHIP_PROBLEM_KINDS,
  OwnershipProblem,
  OwnershipProblemKind,
} from '@vitals/plugin-ownership-common';

/** The configured health rules: which kinds are checked, which checks apply to which kinds, the confirmation period. */
export interface HealthRules {
  /** Lower-case kinds covered by the snapshot. */
  kinds: string[];
  confirmationPeriodDays: number;
  /** The checks that apply to a kind (any case); none for kinds outside `kinds`. */
  checksFor(kind: string): OwnershipProblemKind[];
}

export const DEFAULT_KINDS = [
  'Component',
  'API',
  'Resource',
  'System',
  'Domain',
];
export const DEFAULT_CONFIRMATION_PERIOD_DAYS = 180;
/** Ten years: a longer period would put the confirmation cutoff before any date the database is asked about. */
export const MAX_CONFIRMATION_PERIOD_DAYS = 3660;

const CONFIG_KEYS: Record<OwnershipProblemKind, string> = {
  'no-owner': 'noOwner',
  'owner-unresolved': 'ownerUnresolved',
  'owner-no-members': 'ownerNoMembers',
  'owner-single-member': 'ownerSingleMember',
  'no-contact': 'noContact',
  'confirmation-overdue': 'confirmationOverdue',
};

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Builds rules from plain options; what `readHealthRules` does with config. */
export function createHealthRules(
  options: {
    kinds?: string[];
    confirmationPeriodDays?: number;
    checks?: Partial<
      Record<OwnershipProblemKind, { enabled?: boolean; kinds?: string[] }>
    >;
  } = {},
): HealthRules {
  const kinds = (options.kinds ?? DEFAULT_KINDS).map(lower);
  const period =
    options.confirmationPeriodDays ?? DEFAULT_CONFIRMATION_PERIOD_DAYS;
  if (
    !(
      Number.isInteger(period) &&
      period >= 1 &&
      period <= MAX_CONFIRMATION_PERIOD_DAYS
    )
  ) {
    throw new InputError(
      `ownership.confirmationPeriodDays must be a whole number of days from 1 to ${MAX_CONFIRMATION_PERIOD_DAYS}, got ${period}`,
    );
  }
  const byKind = new Map<string, OwnershipProblemKind[]>();
  for (const kind of kinds) {
    byKind.set(
      kind,
      OWNERSHIP_PROBLEM_KINDS.filter(check => {
        const setting = options.checks?.[check];
        if (setting?.enabled === false) return false;
        return !setting?.kinds || setting.kinds.map(lower).includes(kind);
      }),
    );
  }
  return {
    kinds,
    confirmationPeriodDays: period,
    checksFor: kind => byKind.get(lower(kind)) ?? [],
  };
}

/** Reads `ownership.kinds`, `ownership.confirmationPeriodDays` and `ownership.checks` (see config.d.ts). */
export function readHealthRules(config: Config): HealthRules {
  const checks: Partial<
    Record<OwnershipProblemKind, { enabled?: boolean; kinds?: string[] }>
  > = {};
  for (const check of OWNERSHIP_PROBLEM_KINDS) {
    const c = config.getOptionalConfig(
      `ownership.checks.${CONFIG_KEYS[check]}`,
    );
    if (c) {
      checks[check] = {
        enabled: c.getOptionalBoolean('enabled'),
        kinds: c.getOptionalStringArray('kinds'),
      };
    }
  }
  return createHealthRules({
    kinds: config.getOptionalStringArray('ownership.kinds'),
    confirmationPeriodDays: config.getOptionalNumber(
      'ownership.confirmationPeriodDays',
    ),
    checks,
  });
}

/** What the rules look at, for one entity: the same whether read live from the catalog or from a snapshot row. */
export interface OwnershipFacts {
  entityRef: string;
  kind: string;
  ownerRef: string | null;
  /** Lower-case kind of the owner ref. */
  ownerKind: string | null;
  ownerExists: boolean;
  ownerTitle: string | null;
  /** Members of the owning group; 1 for a user owner; null when the owner does not resolve. */
  ownerMemberCount: number | null;
  /** Contact channels and paging services of the entity and its owner. */
  contactCount: number;
}

/** The problems that depend on the catalog only (everything but the confirmation), for the checks given. */
export function catalogProblemsOf(
  facts: OwnershipFacts,
  checks: readonly OwnershipProblemKind[],
): OwnershipProblemKind[] {
  const found: OwnershipProblemKind[] = [];
  const applies = (k: OwnershipProblemKind) => checks.includes(k);
  if (!facts.ownerRef) {
    if (applies('no-owner')) found.push('no-owner');
  } else if (!facts.ownerExists) {
    if (applies('owner-unresolved')) found.push('owner-unresolved');
  } else if (facts.ownerMemberCount === 0) {
    if (applies('owner-no-members')) found.push('owner-no-members');
  } else if (facts.ownerMemberCount === 1) {
    if (applies('owner-single-member')) found.push('owner-single-member');
  }
  if (facts.contactCount === 0 && applies('no-contact'))
    found.push('no-contact');
  return found;
}

/** Confirmation is checked only when the check applies and there is a real owner who could confirm. */
export function confirmationApplies(
  facts: OwnershipFacts,
  checks: readonly OwnershipProblemKind[],
): boolean {
  return (
    checks.includes('confirmation-overdue') &&
    !!facts.ownerRef &&
    facts.ownerExists
  );
}

/** The instant before which a confirmation no longer counts. */
export function confirmationCutoff(rules: HealthRules, now: Date): Date {
  return new Date(now.getTime() - rules.confirmationPeriodDays * 86_400_000);
}

function ownerLabel(facts: OwnershipFacts): string {
  return facts.ownerTitle
    ? `${facts.ownerTitle} (${facts.ownerRef})`
    : `${facts.ownerRef}`;
}

/** Spells out each problem for the people who have to fix it. */
export function describeProblems(
  facts: OwnershipFacts,
  kinds: readonly OwnershipProblemKind[],
  confirmation: {
    confirmedAt: string | null;
    confirmedBy: string | null;
    periodDays: number;
  },
): OwnershipProblem[] {
  return kinds.map(kind => {
    switch (kind) {
      case 'no-owner':
        return {
          kind,
          message: `${facts.entityRef} names no owner: set spec.owner to the team that runs it.`,
        };
      case 'owner-unresolved':
        return {
          kind,
          message: `The owner ${facts.ownerRef} is not in the catalog: the team may have been renamed or removed.`,
        };
      case 'owner-no-members':
        return {
          kind,
          message: `${ownerLabel(
            facts,
          )} has no members: nobody is there to own it.`,
        };
      case 'owner-single-member':
        return {
          kind,
          message:
            facts.ownerKind === 'group'
              ? `${ownerLabel(facts)} has a single member: bus factor 1.`
              : `Owned by one person, ${facts.ownerRef}, not a team: bus factor 1.`,
        };
      case 'no-contact':
        return {
          kind,
          message: `Neither the entity nor ${
            facts.ownerRef ? ownerLabel(facts) : 'an owner'
          } has a contact channel: add a slack.com/channel or pagerduty.com/service-id annotation, an email, or a chat link.`,
        };
      case 'confirmation-overdue':
      default:
        return {
          kind,
          message: confirmation.confirmedAt
            ? `Ownership was last confirmed on ${confirmation.confirmedAt.slice(
                0,
                10,
              )} by ${confirmation.confirmedBy}; confirmations expire after ${
                confirmation.periodDays
              } days.`
            : `${ownerLabel(facts)} has never confirmed that it owns this.`,
        };
    }
  });
}
