import {
  AuthService,
  coreServices,
  createBackendModule,
  DiscoveryService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  FactProvider,
  scorecardsFactProvidersExtensionPoint,
} from '@vitals/plugin-scorecards-node';

/** The built-in providers' switches: `scorecards.providers.<key>.enabled`. */
export type BuiltInProviderKey =
  | 'techDebt'
  | 'dora'
  | 'ownership'
  | 'onboarding';

/** What a built-in provider that calls another Vitals backend is made from. */
export interface BuiltInProviderDeps {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * A module on `scorecardsFactProvidersExtensionPoint` for a built-in provider that calls another Vitals backend. It
 * adds the provider unless `scorecards.providers.<key>.enabled` is false; then it adds nothing and says so in the log,
 * so that an installed-but-off provider is visible.
 */
export function createBuiltInFactsModule(options: {
  moduleId: string;
  key: BuiltInProviderKey;
  createProvider(deps: BuiltInProviderDeps): FactProvider;
}) {
  const { moduleId, key, createProvider } = options;
  return createBackendModule({
    pluginId: 'scorecards',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: {
          providers: scorecardsFactProvidersExtensionPoint,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          auth: coreServices.auth,
          discovery: coreServices.discovery,
        },
        async init({ providers, ...deps }) {
          const enabled =
            deps.config.getOptionalBoolean(
              `scorecards.providers.${key}.enabled`,
            ) ?? true;
          if (!enabled) {
            deps.logger.info(
              `Scorecards: the '${key}' fact provider is off (scorecards.providers.${key}.enabled is false)`,
            );
            return;
          }
          providers.addFactProvider(createProvider(deps));
        },
      });
    },
  });
}
