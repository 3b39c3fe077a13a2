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
  | 'flow'
  | 'ci'
  | 'ownership'
  | 'onboarding'
  | 'postmortems';

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
 * so that an installed-but-off provider is visible. With `defaultSwitch`, an unset switch follows that provider's
 * (the flow and CI providers follow `dora`: the same backend, so one switch turns them all off).
 */
export function createBuiltInFactsModule(options: {
  moduleId: string;
  key: BuiltInProviderKey;
  defaultSwitch?: BuiltInProviderKey;
  createProvider(deps: BuiltInProviderDeps): FactProvider;
}) {
  const { moduleId, key, defaultSwitch, createProvider } = options;
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
          const switchOf = (k: BuiltInProviderKey) =>
            deps.config.getOptionalBoolean(`scorecards.providers.${k}.enabled`);
          const own = switchOf(key);
          const followed =
            own === undefined && defaultSwitch
              ? switchOf(defaultSwitch)
              : undefined;
          if ((own ?? followed ?? true) === false) {
            const why =
              own === false
                ? `scorecards.providers.${key}.enabled is false`
                : `scorecards.providers.${defaultSwitch}.enabled is false and scorecards.providers.${key}.enabled is not set`;
            deps.logger.info(
              `Scorecards: the '${key}' fact provider is off (${why})`,
            );
            return;
          }
          providers.addFactProvider(createProvider(deps));
        },
      });
    },
  });
}
