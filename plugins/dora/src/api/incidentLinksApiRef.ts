import { createApiRef } from '@backstage/core-plugin-api';

/** A link shown beside an incident in the DORA incident drill-down, e.g. to its postmortem. @public */
export interface DoraIncidentLink {
  /** The DORA incident id it belongs to. */
  incidentId: string;
  /** The link's text, e.g. "Postmortem (published)" or "Start a postmortem". */
  label: string;
  /** Where it leads: a path in this app. */
  href: string;
  /** A second line, e.g. the postmortem's title. */
  description?: string;
}

/**
 * What another plugin links from DORA incidents (the postmortems plugin provides one). Optional: the DORA plugin does
 * not provide it and does not depend on any plugin that does. When an app provides it, the incident drill-down shows
 * one more column with each incident's link; when the call fails, the incidents still show.
 *
 * @public
 */
export interface DoraIncidentLinksApi {
  /** The column's title, e.g. "Postmortem". */
  readonly columnTitle: string;
  /** The links of one page of an entity's incidents; incidents without a link are left out. */
  getIncidentLinks(request: {
    /** The incidents' entity. */
    entityRef: string;
    /** The entity's page in this app, e.g. `/catalog/default/component/payments-api`. */
    entityPath: string;
    incidentIds: string[];
  }): Promise<DoraIncidentLink[]>;
}

/** The optional {@link DoraIncidentLinksApi}; look it up with `useApiHolder().get(...)`. @public */
export const doraIncidentLinksApiRef = createApiRef<DoraIncidentLinksApi>({
  id: 'plugin.dora.incident-links',
});
