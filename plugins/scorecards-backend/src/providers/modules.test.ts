import {
  BackendFeature,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { exampleFile, inMemoryDatabase } from '@vitals/backend-test-utils';
import { scorecardsFactProvidersExtensionPoint } from '@vitals/plugin-scorecards-node';
import request from 'supertest';
import scorecardsWithBuiltInProviders, {
  scorecardsModuleCatalogFacts,
  scorecardsModuleTechDebtFacts,
  scorecardsPlugin,
} from '../index';

jest.setTimeout(60_000);

const USER = mockCredentials.user.header('user:default/guest');

/** An adopter's module with one fact. */
const sonarFactsModule = createBackendModule({
  pluginId: 'scorecards',
  moduleId: 'sonar-facts',
  register(reg) {
    reg.registerInit({
      deps: { providers: scorecardsFactProvidersExtensionPoint },
      async init({ providers }) {
        providers.addFactProvider({
          id: 'sonar',
          facts: [
            { id: 'sonar.coverage', type: 'number', description: 'Coverage' },
          ],
          async getFacts() {
            return new Map();
          },
        });
      },
    });
  },
});

/** Starts the given scorecards features on the services they need; the catalog is a mock with no entities. */
async function start(
  features: BackendFeature[],
  providers: Record<string, object> = {},
) {
  return startTestBackend({
    features: [
      ...features,
      catalogServiceMock.factory(),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: inMemoryDatabase() },
          scorecards: {
            definitionFiles: [exampleFile('scorecards.yaml')],
            providers,
          },
        },
      }),
    ],
  });
}

/** The providers of the facts `GET /definitions` lists, in the order it lists them. */
async function providersListed(server: Parameters<typeof request>[0]) {
  const res = await request(server)
    .get('/api/scorecards/v1/definitions')
    .set('Authorization', USER);
  expect(res.status).toBe(200);
  return [
    ...new Set(
      (res.body.facts as Array<{ provider: string }>).map(f => f.provider),
    ),
  ];
}

describe('the built-in fact providers as backend modules', () => {
  it('are all installed by the default export, listed in a fixed order', async () => {
    const backend = await start([scorecardsWithBuiltInProviders]);
    expect(await providersListed(backend.server)).toEqual([
      'catalog',
      'techDebt',
      'dora',
      'flow',
      'ci',
      'ownership',
      'onboarding',
      'postmortems',
    ]);
    await backend.stop();
  });

  it('leave a provider out when its scorecards.providers.<key>.enabled is false', async () => {
    const backend = await start([scorecardsWithBuiltInProviders], {
      ci: { enabled: false },
      onboarding: { enabled: false },
    });
    expect(await providersListed(backend.server)).toEqual([
      'catalog',
      'techDebt',
      'dora',
      'flow',
      'ownership',
      'postmortems',
    ]);
    await backend.stop();
  });

  it('turn the flow and CI providers off with the DORA provider (the same backend) unless their own switch is set', async () => {
    const allOff = await start([scorecardsWithBuiltInProviders], {
      dora: { enabled: false },
    });
    expect(await providersListed(allOff.server)).toEqual([
      'catalog',
      'techDebt',
      'ownership',
      'onboarding',
      'postmortems',
    ]);
    await allOff.stop();

    const flowOnly = await start([scorecardsWithBuiltInProviders], {
      dora: { enabled: false },
      flow: { enabled: true },
    });
    expect(await providersListed(flowOnly.server)).toEqual([
      'catalog',
      'techDebt',
      'flow',
      'ownership',
      'onboarding',
      'postmortems',
    ]);
    await flowOnly.stop();
  });

  it("let an adopter install the plugin with only the modules they want, built-ins listed before the adopter's own", async () => {
    const backend = await start([
      sonarFactsModule,
      scorecardsPlugin,
      scorecardsModuleTechDebtFacts,
      scorecardsModuleCatalogFacts,
    ]);
    expect(await providersListed(backend.server)).toEqual([
      'catalog',
      'techDebt',
      'sonar',
    ]);
    await backend.stop();
  });

  it('refuse to start on an unknown DORA benchmark, naming the key', async () => {
    await expect(
      start([scorecardsWithBuiltInProviders], {
        dora: { benchmark: '2019' },
      }),
    ).rejects.toThrow(
      "scorecards.providers.dora.benchmark must be '2023' or '2021', not '2019'",
    );
  });
});
