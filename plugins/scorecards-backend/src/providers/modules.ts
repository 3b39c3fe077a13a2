import { scorecardsModuleCatalogFacts } from './catalogFactsModule';
import { scorecardsModuleCiFacts } from './ciFactsModule';
import { scorecardsModuleDoraFacts } from './doraFactsModule';
import { scorecardsModuleFlowFacts } from './flowFactsModule';
import { scorecardsModuleOnboardingFacts } from './onboardingFactsModule';
import { scorecardsModuleOwnershipFacts } from './ownershipFactsModule';
import { scorecardsModulePostmortemsFacts } from './postmortemsFactsModule';
import { scorecardsModuleTechDebtFacts } from './techDebtFactsModule';

export {
  scorecardsModuleCatalogFacts,
  scorecardsModuleCiFacts,
  scorecardsModuleDoraFacts,
  scorecardsModuleFlowFacts,
  scorecardsModuleOnboardingFacts,
  scorecardsModuleOwnershipFacts,
  scorecardsModulePostmortemsFacts,
  scorecardsModuleTechDebtFacts,
};

/** The modules of the built-in fact providers, in the order their providers are listed. */
export const builtInFactProviderModules = [
  scorecardsModuleCatalogFacts,
  scorecardsModuleTechDebtFacts,
  scorecardsModuleDoraFacts,
  scorecardsModuleFlowFacts,
  scorecardsModuleCiFacts,
  scorecardsModuleOwnershipFacts,
  scorecardsModuleOnboardingFacts,
  scorecardsModulePostmortemsFacts,
];

/** The ids of the built-in providers, in the order they are listed (before any adopter's, in registration order). */
export const BUILT_IN_PROVIDER_ORDER = [
  'catalog',
  'techDebt',
  'dora',
  'flow',
  'ci',
  'ownership',
  'onboarding',
  'postmortems',
];
