import {
  POSTMORTEM_STATUS_LABELS,
  PostmortemsApi,
} from '@vitals/plugin-postmortems-common';
import { POSTMORTEMS_TAB_PATH } from '../routes';

/** A link from a DORA incident to its postmortem, in the shape the DORA plugin's incident drill-down shows. @public */
export interface PostmortemIncidentLink {
  /** The DORA incident id. */
  incidentId: string;
  /** "Postmortem (published)", "Postmortem (draft)", … or "Start a postmortem". */
  label: string;
  /** The entity's Postmortems tab, opened on the postmortem or the incident. */
  href: string;
  /** The postmortem's title, when the viewer may read it. */
  description?: string;
}

/**
 * Links each DORA incident to its postmortem, or to "Start a postmortem" on the entity's Postmortems tab. It has the
 * shape of the DORA plugin's optional `DoraIncidentLinksApi`, so an app binds it to `doraIncidentLinksApiRef` (see the
 * README) without either plugin depending on the other.
 *
 * One request per page of incidents: the entity's incidents as the postmortems backend keeps them (up to 1,000, newest
 * first). An incident the backend has not copied yet, or an older one, is offered "Start a postmortem"; the tab then
 * opens its postmortem if it has one after all.
 *
 * @public
 */
export class PostmortemIncidentLinks {
  /** The title of the DORA drill-down's column. */
  readonly columnTitle = 'Postmortem';
  private readonly postmortemsApi: PostmortemsApi;
  private readonly tabPath: string;

  constructor(options: {
    postmortemsApi: PostmortemsApi;
    /** Where the Postmortems tab is mounted under an entity page; `postmortems` by default. */
    tabPath?: string;
  }) {
    this.postmortemsApi = options.postmortemsApi;
    this.tabPath = options.tabPath ?? POSTMORTEMS_TAB_PATH;
  }

  /** One link per incident asked for, in the order asked. */
  async getIncidentLinks(request: {
    entityRef: string;
    entityPath: string;
    incidentIds: string[];
  }): Promise<PostmortemIncidentLink[]> {
    if (request.incidentIds.length === 0) return [];
    const page = await this.postmortemsApi.listIncidents({
      entityRef: request.entityRef,
      limit: 1000,
    });
    const byIncident = new Map(
      page.items.map(row => [row.incident.id, row.postmortem]),
    );
    const tab = `${request.entityPath.replace(/\/+$/, '')}/${this.tabPath}`;
    return request.incidentIds.map(incidentId => {
      const postmortem = byIncident.get(incidentId);
      if (!postmortem) {
        return {
          incidentId,
          label: 'Start a postmortem',
          href: `${tab}?incident=${encodeURIComponent(incidentId)}`,
        };
      }
      return {
        incidentId,
        label: `Postmortem (${POSTMORTEM_STATUS_LABELS[
          postmortem.status
        ].toLocaleLowerCase('en-US')})`,
        href: `${tab}?postmortem=${encodeURIComponent(postmortem.id)}`,
        ...(postmortem.title ? { description: postmortem.title } : {}),
      };
    });
  }
}
