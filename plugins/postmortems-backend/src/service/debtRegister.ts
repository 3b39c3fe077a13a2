import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { chunks } from '@vitals/backend-common';
import { PluginHttp, toQueryString } from '@vitals/common';
import { ActionItemDebt } from '@vitals/plugin-postmortems-common';
import {
  CreateItemRequest,
  DebtItem,
  TechDebtClient,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { IncidentRecord } from '../database/PostmortemsStore';
import { fetchAs } from './callAs';

/** What the register keeps of a linked incident (the tech-debt API's link body). */
export interface IncidentLinkSnapshot {
  entityRef: string;
  createdAt: string;
  resolvedAt: string | null;
  severity: string | null;
  restoreMinutes: number | null;
  postmortemId: string | null;
  postmortemUrl: string | null;
  title: string | null;
}

/** A team of the register's repeat-incidents report, as far as postmortems shows it. */
export interface RepeatIncidentsTeam {
  ownerRef: string | null;
  items: Array<{
    id: string;
    title: string;
    entityRef: string;
    status: string;
    incidents: number;
    restoreMinutes: number;
  }>;
}

/**
 * What the register keeps of an incident linked to a debt item: the incident as this plugin has it, the postmortem's
 * id and title, and its page (`<app.baseUrl>/postmortems/<id>`) when the app's base URL is known.
 */
export function incidentLinkSnapshot(
  postmortem: { id: string; title: string },
  incident: IncidentRecord,
  appBaseUrl?: string,
): IncidentLinkSnapshot {
  return {
    entityRef: incident.entityRef,
    createdAt: new Date(incident.createdAt).toISOString(),
    resolvedAt:
      incident.resolvedAt === null
        ? null
        : new Date(incident.resolvedAt).toISOString(),
    severity: incident.severity,
    // The register keeps restore minutes of resolved incidents only.
    restoreMinutes:
      incident.resolvedAt === null ? null : incident.restoreMinutes,
    postmortemId: postmortem.id,
    postmortemUrl: appBaseUrl
      ? `${appBaseUrl.replace(/\/+$/, '')}/postmortems/${postmortem.id}`
      : null,
    title: postmortem.title,
  };
}

/** Items per `GET /v1/items?ids=` request: the register takes at most 100 values per filter. */
const IDS_PER_REQUEST = 100;

/** The debt item as an action item shows it. */
export function debtOf(item: DebtItem): ActionItemDebt {
  return {
    title: item.title,
    status: item.status,
    entityRef: item.entityRef,
    ownerRef: item.ownerRef,
    assignee: item.assignee,
  };
}

/**
 * The tech-debt register, called with the credentials given: a person's for writes (the register's policy decides
 * for that person) and reads on their behalf, the plugin's own for the scheduled jobs. Errors are the register's
 * `ResponseError`s.
 */
export class DebtRegister {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  private http(credentials: BackstageCredentials) {
    return new PluginHttp('tech-debt', {
      discoveryApi: this.options.discovery,
      fetchApi: fetchAs(this.options.auth, credentials, 'tech-debt'),
    });
  }

  private client(credentials: BackstageCredentials) {
    return new TechDebtClient({
      discoveryApi: this.options.discovery,
      fetchApi: fetchAs(this.options.auth, credentials, 'tech-debt'),
    });
  }

  createItem(
    credentials: BackstageCredentials,
    request: CreateItemRequest,
  ): Promise<DebtItem> {
    return this.client(credentials).createItem(request);
  }

  /** An entity's unresolved items, highest priority first. */
  async listOpenItems(
    credentials: BackstageCredentials,
    entityRef: string,
    limit: number,
  ): Promise<DebtItem[]> {
    const page = await this.client(credentials).listItems({
      entityRef: [entityRef],
      status: [...UNRESOLVED_STATUSES],
      limit,
    });
    return page.items;
  }

  /** One item; undefined when the register has no such item. */
  async getItem(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<DebtItem | undefined> {
    try {
      return await this.client(credentials).getItem(id);
    } catch (error) {
      if (error instanceof ResponseError && error.response.status === 404)
        return undefined;
      throw error;
    }
  }

  /** The items of these ids the register has (`GET /v1/items?ids=`), 100 per request. */
  async getItems(
    credentials: BackstageCredentials,
    ids: string[],
  ): Promise<Map<string, DebtItem>> {
    const found = new Map<string, DebtItem>();
    const http = this.http(credentials);
    for (const batch of chunks([...new Set(ids)], IDS_PER_REQUEST)) {
      const page = await http.json<{ items: DebtItem[] }>(
        `/items${toQueryString({ ids: batch, limit: IDS_PER_REQUEST })}`,
      );
      for (const item of page.items) found.set(item.id, item);
    }
    return found;
  }

  /** Links (or refreshes the link of) an incident to an item: idempotent. */
  async linkIncident(
    credentials: BackstageCredentials,
    itemId: string,
    incidentId: string,
    snapshot: IncidentLinkSnapshot,
  ): Promise<void> {
    await this.http(credentials).request(
      `/items/${encodeURIComponent(itemId)}/incidents/${encodeURIComponent(
        incidentId,
      )}`,
      { method: 'PUT', body: JSON.stringify(snapshot) },
    );
  }

  /** Unlinks an incident from an item; an item or link the register does not have is fine. */
  async unlinkIncident(
    credentials: BackstageCredentials,
    itemId: string,
    incidentId: string,
  ): Promise<void> {
    try {
      await this.http(credentials).request(
        `/items/${encodeURIComponent(itemId)}/incidents/${encodeURIComponent(
          incidentId,
        )}`,
        { method: 'DELETE' },
      );
    } catch (error) {
      if (error instanceof ResponseError && error.response.status === 404)
        return;
      throw error;
    }
  }

  /**
   * Refreshes the register's snapshot of these incidents on every debt item they are linked to as action items, as
   * the plugin itself (the register must let the postmortems plugin's service principal refresh links). Returns how
   * many links were refreshed; failures are returned, not thrown.
   */
  async refreshLinks(
    credentials: BackstageCredentials,
    links: Array<{
      debtItemId: string;
      incidentId: string;
      snapshot: IncidentLinkSnapshot;
    }>,
  ): Promise<{
    refreshed: number;
    failures: Array<{ debtItemId: string; error: unknown }>;
  }> {
    let refreshed = 0;
    const failures: Array<{ debtItemId: string; error: unknown }> = [];
    for (const link of links) {
      try {
        await this.linkIncident(
          credentials,
          link.debtItemId,
          link.incidentId,
          link.snapshot,
        );
        refreshed += 1;
      } catch (error) {
        failures.push({ debtItemId: link.debtItemId, error });
      }
    }
    return { refreshed, failures };
  }

  /** The register's repeat-incidents report: open items with repeated linked incidents, per owning team. */
  async repeatIncidents(
    credentials: BackstageCredentials,
    owner: string | undefined,
  ): Promise<RepeatIncidentsTeam[]> {
    const report = await this.http(credentials).json<{
      teams: RepeatIncidentsTeam[];
    }>(`/reports/repeat-incidents${toQueryString({ owner })}`);
    return report.teams;
  }
}
