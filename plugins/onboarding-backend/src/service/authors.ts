import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@vitals/common';
import { entityRefOf } from '@vitals/backend-common';

const USER_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

/**
 * Resolves the `author` of a DORA change to a user entity ref: a full user ref; else a user of that name in the default
 * namespace; else a user whose `github.com/user-login` annotation equals it; else a user whose spec.profile.email
 * equals it. Answers (also "no such user") are cached for a short while, so that a batch of events costs one catalog
 * lookup per distinct author.
 */
export class AuthorResolver {
  private readonly cache = new Map<
    string,
    { ref: string | null; until: number }
  >();

  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: () => Promise<BackstageCredentials>,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async resolve(author: string): Promise<string | null> {
    const key = author.trim();
    const cached = this.cache.get(key);
    if (cached && cached.until > this.clock()) return cached.ref;
    const ref = await this.lookup(key);
    this.cache.set(key, { ref, until: this.clock() + this.ttlMs });
    return ref;
  }

  private async first(filter: Record<string, string>): Promise<string | null> {
    const credentials = await this.credentials();
    const { items } = await this.catalog.queryEntities(
      { filter: { kind: 'User', ...filter }, fields: USER_FIELDS, limit: 2 },
      { credentials },
    );
    const entity: Entity | undefined = items[0];
    return entity ? entityRefOf(entity) : null;
  }

  private async lookup(author: string): Promise<string | null> {
    if (!author) return null;
    const credentials = await this.credentials();
    if (/^user:/i.test(author)) {
      const ref = normalizeEntityRef(author, { defaultKind: 'user' });
      const entity = ref
        ? await this.catalog.getEntityByRef(ref, { credentials })
        : undefined;
      return entity ? entityRefOf(entity) : null;
    }
    if (/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(author)) {
      const ref = normalizeEntityRef(author, { defaultKind: 'user' });
      const byName = ref
        ? await this.catalog.getEntityByRef(ref, { credentials })
        : undefined;
      if (byName) return entityRefOf(byName);
    }
    const byLogin = await this.first({
      'metadata.annotations.github.com/user-login': author,
    });
    if (byLogin) return byLogin;
    if (author.includes('@'))
      return this.first({ 'spec.profile.email': author });
    return null;
  }
}
