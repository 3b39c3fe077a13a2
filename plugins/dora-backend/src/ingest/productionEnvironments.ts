import { DEFAULT_PRODUCTION_ENVIRONMENTS } from '@vitals/plugin-dora-common';

const normalize = (environment: string) =>
  environment.trim().toLocaleLowerCase('en-US');

/** The configured production environments (`dora.productionEnvironments`), normalized for comparison. */
export function productionEnvironmentSet(configured?: string[]): Set<string> {
  return new Set(
    (configured ?? DEFAULT_PRODUCTION_ENVIRONMENTS).map(normalize),
  );
}

/** Whether a deployment to this environment is a production deployment, compared case-insensitively. */
export function isProductionEnvironment(
  environments: Set<string>,
  environment: string,
): boolean {
  return environments.has(normalize(environment));
}
