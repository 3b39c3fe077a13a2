/**
 * Vitals postmortems for Backstage: a Postmortems tab on services (incidents, blameless editor, read view, action items
 * tracked as debt) and the `/postmortems` org page.
 *
 * @packageDocumentation
 */
export {
  postmortemsPlugin,
  PostmortemsPage,
  EntityPostmortemsContent,
} from './plugin';
export { postmortemsApiRef } from './api/postmortemsApiRef';
export { PostmortemIncidentLinks } from './api/PostmortemIncidentLinks';
export type { PostmortemIncidentLink } from './api/PostmortemIncidentLinks';
export {
  rootRouteRef as postmortemsRouteRef,
  POSTMORTEMS_TAB_PATH,
} from './routes';
