/** Most nested group levels followed, against cycles in a broken org chart. */
export const MAX_GROUP_DEPTH = 20;

/** An entity ref in the catalog's canonical spelling, lower case, as relations name their targets. */
export const lowerRef = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * A group and every group below it (the catalog's `parentOf` relations), level by level, each group once and at most
 * {@link MAX_GROUP_DEPTH} levels deep. `load` turns the refs of a level into groups; a ref it finds nothing for (not in
 * the catalog, or not visible to the caller) is still among `refs`, but has no children to follow. This is the one
 * rule of what a group pools, for a single group's figures and for every team's at once.
 */
export async function walkGroupTree<G>(options: {
  root: G;
  rootRef: string;
  childRefs: (group: G) => string[];
  load: (refs: string[]) => G[] | Promise<G[]>;
}): Promise<{ refs: Set<string>; groups: G[] }> {
  const { root, childRefs, load } = options;
  const refs = new Set<string>([options.rootRef]);
  const groups: G[] = [root];
  let level: G[] = [root];
  for (let depth = 0; level.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
    const next = [...new Set(level.flatMap(childRefs))].filter(
      ref => !refs.has(ref),
    );
    if (next.length === 0) break;
    next.forEach(ref => refs.add(ref));
    level = await load(next);
    groups.push(...level);
  }
  return { refs, groups };
}
