import { scorecardsModuleCatalogFacts } from './catalogFactsModule';
import { scorecardsModuleDoraFacts } from './doraFactsModule';
import { scorecardsModuleOnboardingFacts } from './onboardingFactsModule';
import { scorecardsModuleOwnershipFacts } from './ownershipFactsModule';
import { scorecardsModuleTechDebtFacts } from './techDebtFactsModule';

export {
  scorecardsModuleCatalogFacts,
  scorecardsModuleDoraFacts,
  scorecardsModuleOnboardingFacts,
  scorecardsModuleOwnershipFacts,
  scorecardsModuleTechDebtFacts,
};

/** The modules of the built-in fact providers, in the order their providers are listed. */
export const builtInFactProviderModules = [
  scorecardsModuleCatalogFacts,
  scorecardsModuleTechDebtFacts,
  scorecardsModuleDoraFacts,
  scorecardsModuleOwnershipFacts,
  scorecardsModuleOnboardingFacts,
];

/** The ids of the built-in providers, in the order they are listed (before any adopter's, in registration order). */
export const BUILT_IN_PROVIDER_ORDER = [
  'catalog',
  'techDebt',
  'dora',
  'ownership',
  'onboarding',
];
