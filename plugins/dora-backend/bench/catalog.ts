/*
 * The catalog the in-process DORA benchmarks give the router: `entities` components owned by teams of `teamSize`,
 * the teams optionally grouped in departments, answering only what the router asks of the catalog (one entity, entities
 * by ref, every group with its relations for the org pages, the entities groups own).
 */
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

export interface BenchCatalogOptions {
  entities: number;
  teamSize: number;
  /** Teams per department (`group:default/department-NN`, `spec.type` department); 0 for teams only. */
  teamsPerDepartment?: number;
}

export const entityRef = (i: number) =>
  `component:default/service-${String(i).padStart(5, '0')}`;
export const groupRef = (g: number) =>
  `group:default/team-${String(g).padStart(3, '0')}`;
const departmentRef = (d: number) =>
  `group:default/department-${String(d).padStart(2, '0')}`;

export const teamCount = (options: BenchCatalogOptions) =>
  Math.ceil(options.entities / options.teamSize);

const entityOf = (ref: string, extra: Partial<Entity> = {}): Entity => {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    relations: [],
    ...extra,
  };
};

/** A catalog of the organisation, as a `CatalogService` for `createRouter`. */
export function benchCatalog(options: BenchCatalogOptions): CatalogService {
  const { entities, teamSize } = options;
  const teams = teamCount(options);
  const perDepartment = options.teamsPerDepartment ?? 0;
  const membersOf = (team: number) =>
    Array.from({ length: teamSize }, (_, k) => team * teamSize + k).filter(
      i => i < entities,
    );
  const groups = new Map<string, Entity>();
  for (let t = 0; t < teams; t++)
    groups.set(
      groupRef(t),
      entityOf(groupRef(t), {
        spec: { type: 'team' },
        relations: [
          ...(perDepartment > 0
            ? [
                {
                  type: 'childOf',
                  targetRef: departmentRef(Math.floor(t / perDepartment)),
                },
              ]
            : []),
          ...membersOf(t).map(i => ({
            type: 'ownerOf',
            targetRef: entityRef(i),
          })),
        ],
      }),
    );
  if (perDepartment > 0)
    for (let d = 0; d * perDepartment < teams; d++)
      groups.set(
        departmentRef(d),
        entityOf(departmentRef(d), {
          spec: { type: 'department' },
          relations: Array.from(
            { length: perDepartment },
            (_, k) => d * perDepartment + k,
          )
            .filter(t => t < teams)
            .map(t => ({ type: 'parentOf', targetRef: groupRef(t) })),
        }),
      );

  const find = (ref: string): Entity | undefined => {
    const m = /^component:default\/service-(\d+)$/.exec(ref);
    if (m) return Number(m[1]) < entities ? entityOf(ref) : undefined;
    return groups.get(ref);
  };
  return {
    async getEntityByRef(
      ref: string | { kind: string; namespace?: string; name: string },
    ) {
      return find(
        typeof ref === 'string'
          ? ref
          : `${ref.kind}:${ref.namespace ?? 'default'}/${ref.name}`,
      );
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return { items: request.entityRefs.map(find) };
    },
    // The org pages read every group with its relations.
    async queryEntities() {
      const items = [...groups.values()];
      return { items, totalItems: items.length, pageInfo: {} };
    },
    // A group's figures read what its groups own.
    async getEntities(request: { filter?: Array<Record<string, string>> }) {
      const items = (request.filter ?? []).flatMap(f => {
        const team = /^group:default\/team-(\d+)$/.exec(
          f['relations.ownedBy'] ?? '',
        );
        return team
          ? membersOf(Number(team[1])).map(i => entityOf(entityRef(i)))
          : [];
      });
      return { items };
    },
  } as unknown as CatalogService;
}
