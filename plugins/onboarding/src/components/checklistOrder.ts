import type { Checklist } from '@vitals/plugin-onboarding-common';

/**
 * The order a newcomer works through their checklists: what the whole organisation asks of everyone first ("Welcome
 * to Engineering", for a group high in the tree), then their team's ("Joining Payments"), then one per service the
 * team owns. A checklist carries its scope: `groupRef` for a team checklist, `entityRef` for a service's.
 *
 * `groupDepth` tells how deep a group sits in the catalog's group tree (0 for a root such as `engineering`, 1 for a
 * team under it); a group it does not know (the catalog not read yet, or unreachable) counts as a team. Checklists of
 * the same rank keep the order they came in.
 */
export function orderChecklists(
  checklists: Checklist[],
  groupDepth: (groupRef: string) => number | undefined = () => undefined,
): Checklist[] {
  const rank = (c: Checklist) => {
    if (c.groupRef) return groupDepth(c.groupRef) ?? 1;
    if (c.entityRef) return Number.MAX_SAFE_INTEGER - 1;
    return Number.MAX_SAFE_INTEGER;
  };
  return checklists
    .map((checklist, index) => ({ checklist, index, rank: rank(checklist) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(r => r.checklist);
}

/** Whether every step of a checklist is done. */
export function isChecklistDone(checklist: Checklist): boolean {
  return (
    Boolean(checklist.completedAt) ||
    (checklist.total > 0 && checklist.done >= checklist.total)
  );
}

/** At most this many parents are followed up the group tree (a safeguard against a cycle in the catalog). */
export const MAX_GROUP_DEPTH = 20;

/**
 * How deep each group sits in the catalog's group tree, by following `spec.parent`: 0 for a group without a parent.
 * `parentOf` reads one group's parent (undefined when it has none or cannot be read).
 */
export async function groupDepths(
  groupRefs: string[],
  parentOf: (groupRef: string) => Promise<string | undefined>,
): Promise<Map<string, number>> {
  const parents = new Map<string, Promise<string | undefined>>();
  const parent = (ref: string) => {
    let known = parents.get(ref);
    if (!known) {
      known = parentOf(ref).catch(() => undefined);
      parents.set(ref, known);
    }
    return known;
  };
  const depths = new Map<string, number>();
  await Promise.all(
    [...new Set(groupRefs)].map(async ref => {
      let depth = 0;
      const seen = new Set([ref]);
      for (let up = await parent(ref); up && depth < MAX_GROUP_DEPTH; ) {
        if (seen.has(up)) break;
        seen.add(up);
        depth += 1;
        up = await parent(up);
      }
      depths.set(ref, depth);
    }),
  );
  return depths;
}
