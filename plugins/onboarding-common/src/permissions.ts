import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reset a person's onboarding progress (all of it, or one checklist). A basic permission: a policy decides who may,
 * typically platform admins. Nobody can tick another person's steps; resetting is the only way to change someone
 * else's progress.
 *
 * @public
 */
export const onboardingProgressResetPermission = createPermission({
  name: 'onboarding.progress.reset',
  attributes: { action: 'update' },
});

/**
 * Start somebody else's onboarding (create their checklists). A basic permission, typically for platform admins only.
 * It is not asked when people start their own onboarding (opening My onboarding, ticking a step of a service's
 * checklist): that is always theirs to do.
 *
 * @public
 */
export const onboardingProgressStartPermission = createPermission({
  name: 'onboarding.progress.start',
  attributes: { action: 'create' },
});

/** Every permission of the onboarding plugin. @public */
export const onboardingPermissions = [
  onboardingProgressResetPermission,
  onboardingProgressStartPermission,
];
