import { normalizeEntityRef } from '@vitals/common';
import {
  POSTMORTEM_RESOURCE_TYPE,
  POSTMORTEM_RULES,
  POSTMORTEMS_PLUGIN_ID,
  PostmortemStatus,
} from '@vitals/plugin-postmortems-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** What the rules look at in a postmortem. */
export interface PostmortemAccessFacts {
  status: PostmortemStatus;
  authors: string[];
  /** The owner of the affected entity. */
  ownerRef: string | null;
}

/** A rule as a filter of the store's postmortem queries. */
export type PostmortemFilter =
  | { published: true }
  | { authorIn: string[] }
  | { ownerIn: string[] };

/** The `postmortem` resource type of the permission framework (its resource ref is the postmortem id). */
export const postmortemResourceRef = createPermissionResourceRef<
  PostmortemAccessFacts,
  PostmortemFilter
>().with({
  pluginId: POSTMORTEMS_PLUGIN_ID,
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

const refs = (claims: string[]) =>
  claims
    .map(claim => normalizeEntityRef(claim))
    .filter((ref): ref is string => !!ref);

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe("Entity refs, e.g. a user's ref and ownership refs"),
});

export const isPublishedRule = createPermissionRule({
  name: POSTMORTEM_RULES.isPublished,
  description: 'Allow postmortems that are published',
  resourceRef: postmortemResourceRef,
  apply: postmortem => postmortem.status === 'published',
  toQuery: () => ({ published: true as const }),
});

export const isAuthorRule = createPermissionRule({
  name: POSTMORTEM_RULES.isAuthor,
  description: 'Allow postmortems one of whose authors is among the claims',
  resourceRef: postmortemResourceRef,
  paramsSchema: claimsSchema,
  apply: (postmortem, { claims }) => {
    const wanted = new Set(refs(claims));
    return postmortem.authors.some(author => wanted.has(author));
  },
  toQuery: ({ claims }) => ({ authorIn: refs(claims) }),
});

export const isOwnedByRule = createPermissionRule({
  name: POSTMORTEM_RULES.isOwnedBy,
  description:
    'Allow postmortems whose affected entity is owned by one of the claims',
  resourceRef: postmortemResourceRef,
  paramsSchema: claimsSchema,
  apply: (postmortem, { claims }) =>
    !!postmortem.ownerRef && refs(claims).includes(postmortem.ownerRef),
  toQuery: ({ claims }) => ({ ownerIn: refs(claims) }),
});

/** Every rule of the `postmortem` resource type. */
export const postmortemRules = [isPublishedRule, isAuthorRule, isOwnedByRule];
