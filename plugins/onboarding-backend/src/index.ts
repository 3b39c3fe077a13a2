/**
 * The Vitals onboarding checklists backend plugin.
 *
 * @packageDocumentation
 */
export { onboardingPlugin as default } from './plugin';
