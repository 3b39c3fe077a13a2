import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reset a person's onboarding progress (all of it, or one checklist). A basic permission: a policy decides who may,
 * typically managers and platform admins. Nobody can tick another person's steps; resetting is the only way to change
 * someone else's progress.
 *
 * @public
 */
export const onboardingProgressResetPermission = createPermission({
  name: 'onboarding.progress.reset',
  attributes: { action: 'update' },
});

/** Every permission of the onboarding plugin. @public */
export const onboardingPermissions = [onboardingProgressResetPermission];
