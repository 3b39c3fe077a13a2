/**
 * The Vitals permission policy: installs it in the permission backend and its `IS_CLAIMED_ENTITY` rule in the catalog.
 *
 * @packageDocumentation
 */
import { vitalsPermissionPolicyFeatures } from './module';

export {
  catalogModuleVitalsPermissionRules,
  permissionModuleVitalsPolicy,
} from './module';
export {
  isVitalsAdmin,
  isVitalsPermission,
  VitalsPermissionPolicy,
} from './policy';
export { isClaimedEntity, isClaimedEntityRule } from './isClaimedEntityRule';
export default vitalsPermissionPolicyFeatures;
