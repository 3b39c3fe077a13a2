/**
 * Where the cards link to. The pages are mounted at these paths by the new frontend system's PageBlueprints (and by
 * the legacy install steps in the README); an app that mounts them elsewhere gets links that miss.
 */
export const GOALS_PATH = '/goals';
export const CAMPAIGNS_PATH = '/campaigns';
