import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  POSTMORTEM_RESOURCE_TYPE,
  POSTMORTEMS_PLUGIN_ID,
  postmortemReadPermission,
} from '@vitals/plugin-postmortems-common';
import { ReadFilter } from '../database/PostmortemsStore';
import {
  PostmortemAccessFacts,
  PostmortemFilter,
  postmortemRules,
} from './rules';

/** What a caller may read of postmortems: everything, nothing, or what the policy's conditions allow. */
export interface ReadAccess {
  /** Whether the caller may read no postmortem at all. */
  none: boolean;
  /** The conditions as a store filter; undefined when the caller may read everything. */
  filter: ReadFilter;
  /** Whether the caller may read this postmortem. */
  canRead(facts: PostmortemAccessFacts): boolean;
}

const transform: ConditionTransformer<PostmortemFilter> =
  createConditionTransformer(postmortemRules);
const authorize = createConditionAuthorizer(postmortemRules);

/**
 * Asks the permission policy once about `postmortems.postmortem.read` for the caller, and answers for any number of
 * postmortems from that: a conditional answer is applied to each postmortem here (or to a list as a query filter),
 * without a request per postmortem.
 */
export async function readAccessOf(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<ReadAccess> {
  const [decision] = await permissions.authorizeConditional(
    [{ permission: postmortemReadPermission }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.ALLOW) {
    return { none: false, filter: undefined, canRead: () => true };
  }
  if (decision.result === AuthorizeResult.DENY) {
    return { none: true, filter: undefined, canRead: () => false };
  }
  const conditional = decision as ConditionalPolicyDecision;
  if (
    conditional.pluginId !== POSTMORTEMS_PLUGIN_ID ||
    conditional.resourceType !== POSTMORTEM_RESOURCE_TYPE
  ) {
    throw new NotAllowedError(
      `The permission policy answered ${postmortemReadPermission.name} with conditions for ${conditional.pluginId}/${conditional.resourceType}`,
    );
  }
  return {
    none: false,
    filter: transform(conditional.conditions),
    canRead: facts => authorize(conditional, facts),
  };
}
