import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BlamelessPerson } from '@vitals/plugin-postmortems-common';

/** How long the members of a team are remembered: names change rarely, and a stale name only misses a warning. */
const TTL_MS = 5 * 60 * 1000;

const personOf = (entity: Entity): BlamelessPerson => ({
  name: entity.metadata.name,
  displayName: (
    entity.spec as { profile?: { displayName?: string } } | undefined
  )?.profile?.displayName,
});

/**
 * The people whose names the blameless check looks for in a postmortem: the members of the owning team and the
 * authors, as the catalog has them.
 */
export class PeopleDirectory {
  private readonly teams = new Map<
    string,
    { at: number; people: Promise<BlamelessPerson[]> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  private async membersOf(teamRef: string): Promise<BlamelessPerson[]> {
    const cached = this.teams.get(teamRef);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.people;
    const people = (async () => {
      const { items } = await this.options.catalog.getEntities(
        {
          filter: { kind: 'user', 'relations.memberOf': teamRef },
          fields: ['metadata.name', 'spec.profile.displayName'],
        },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      return items.map(personOf);
    })();
    this.teams.set(teamRef, { at: Date.now(), people });
    people.catch(() => this.teams.delete(teamRef));
    return people;
  }

  /** The team's members and the authors; on a catalog failure, the authors' names from their refs alone. */
  async peopleOf(
    ownerRef: string | null,
    authors: string[],
  ): Promise<BlamelessPerson[]> {
    const fromRefs = authors.map(ref => ({ name: ref.split('/').pop() }));
    try {
      const [members, authorEntities] = await Promise.all([
        ownerRef?.startsWith('group:') ? this.membersOf(ownerRef) : [],
        authors.length
          ? this.options.catalog.getEntitiesByRefs(
              {
                entityRefs: authors,
                fields: ['metadata.name', 'spec.profile.displayName'],
              },
              {
                credentials: await this.options.auth.getOwnServiceCredentials(),
              },
            )
          : { items: [] },
      ]);
      return [
        ...members,
        ...(authorEntities.items as Array<Entity | undefined>)
          .filter((e): e is Entity => !!e)
          .map(personOf),
        ...fromRefs,
      ];
    } catch (error) {
      this.options.logger.warn(
        `Could not read the people of ${ownerRef} for the blameless check: ${error}`,
      );
      return fromRefs;
    }
  }
}
