/**
 * The Vitals DX scorecards backend plugin and the modules of its built-in fact providers.
 *
 * The default export installs the plugin with every built-in provider, so that
 * `backend.add(import('@vitals/plugin-scorecards-backend'))` is the whole install; a provider whose backend is missing
 * is switched off with `scorecards.providers.<key>.enabled: false`. To choose the providers yourself, add
 * `scorecardsPlugin` and only the modules you want instead (not together with the default export).
 *
 * @packageDocumentation
 */

export {
  scorecardsPlugin,
  scorecardsPluginWithBuiltInProviders as default,
} from './plugin';
export {
  scorecardsModuleCatalogFacts,
  scorecardsModuleCiFacts,
  scorecardsModuleDoraFacts,
  scorecardsModuleFlowFacts,
  scorecardsModuleOnboardingFacts,
  scorecardsModuleOwnershipFacts,
  scorecardsModulePostmortemsFacts,
  scorecardsModuleTechDebtFacts,
} from './providers/modules';
