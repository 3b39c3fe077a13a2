import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { doraIncidentLinksApiRef } from '@vitals/plugin-dora';
import {
  PostmortemIncidentLinks,
  postmortemsApiRef,
} from '@vitals/plugin-postmortems';

/**
 * Binds the DORA plugin's optional incident links to postmortems: the incident drill-down of the DORA tab links each
 * incident to its postmortem, or to "Start a postmortem" on the service's Postmortems tab. The app does the binding so
 * that neither plugin depends on the other.
 */
export const incidentPostmortemsModule = createFrontendModule({
  pluginId: 'dora',
  extensions: [
    ApiBlueprint.make({
      name: 'incident-links',
      params: defineParams =>
        defineParams({
          api: doraIncidentLinksApiRef,
          deps: { postmortemsApi: postmortemsApiRef },
          factory: ({ postmortemsApi }) =>
            new PostmortemIncidentLinks({ postmortemsApi }),
        }),
    }),
  ],
});
