import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createCatalogPermissionRule } from '@backstage/plugin-catalog-backend/alpha';
import { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import { createConditionFactory } from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * True when the entity itself is one of the claims. A user's ownership claims are the user and the groups they belong
 * to, so for a Group entity this means "the user is a member of this team" — what `isEntityOwner` cannot say, since
 * groups have no owner.
 *
 * @public
 */
export const isClaimedEntityRule = createCatalogPermissionRule({
  name: 'IS_CLAIMED_ENTITY',
  description:
    'Allow entities that are among the given claims, such as a user\u2019s own groups',
  resourceType: 'catalog-entity',
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. a user\u2019s ownership refs'),
  }),
  apply: (entity, { claims }) =>
    claims
      .map(c => c.toLocaleLowerCase('en-US'))
      .includes(stringifyEntityRef(entity).toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => {
    const [first, ...rest] = claims.map(claim => {
      const ref = parseEntityRef(claim);
      return {
        allOf: [
          { key: 'kind', values: [ref.kind] },
          { key: 'metadata.namespace', values: [ref.namespace] },
          { key: 'metadata.name', values: [ref.name] },
        ] as [EntitiesSearchFilter, ...EntitiesSearchFilter[]],
      };
    });
    // No claims match no entity.
    return first
      ? { anyOf: [first, ...rest] }
      : { key: 'metadata.uid', values: [] };
  },
});

/** @public */
export const isClaimedEntity = createConditionFactory(isClaimedEntityRule);
