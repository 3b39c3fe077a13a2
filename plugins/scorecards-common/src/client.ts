import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type { NextActionsQuery, NextActionsResponse } from './nextActions';
import type {
  CreateWaiverRequest,
  PromoteChecksRequest,
  HistoryQuery,
  SummaryQuery,
  UpdateWaiverRequest,
} from './schemas';
import type {
  CheckPromotion,
  CheckPromotionsResponse,
  DefinitionsResponse,
  EntityResultsBatchResponse,
  EntityResultsResponse,
  GroupRollupResponse,
  HistoryResponse,
  OrgSummaryResponse,
  ScorecardDefinition,
  Waiver,
  WaiversResponse,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export type ScorecardsDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type ScorecardsFetch = PluginFetch;

/** The scorecards API. @public */
export interface ScorecardsApi {
  getDefinitions(): Promise<ScorecardDefinition[]>;
  /** One scorecard definition; a `ResponseError` with status 404 for an unknown id. */
  getDefinition(id: string): Promise<ScorecardDefinition>;
  getEntityResults(entityRef: string): Promise<EntityResultsResponse>;
  /**
   * The stored results of many entities in one call (at most `MAX_ENTITY_RESULTS_BATCH`): one entry per entity, in the
   * order asked; an entity not evaluated yet has no results.
   */
  getEntityResultsBatch(
    entityRefs: string[],
  ): Promise<EntityResultsBatchResponse>;
  refreshEntity(entityRef: string): Promise<EntityResultsResponse>;
  getGroupRollup(groupRef: string): Promise<GroupRollupResponse>;
  getOrgSummary(query?: SummaryQuery): Promise<OrgSummaryResponse>;
  getHistory(query: HistoryQuery): Promise<HistoryResponse>;
  exportCsv(query?: SummaryQuery): Promise<string>;
  listWaivers(query: {
    entityRef?: string;
    includeInactive?: boolean;
  }): Promise<Waiver[]>;
  /** One waiver, in force or not; a `ResponseError` with status 404 for an unknown id. */
  getWaiver(id: string): Promise<Waiver>;
  createWaiver(request: CreateWaiverRequest): Promise<Waiver>;
  updateWaiver(id: string, request: UpdateWaiverRequest): Promise<Waiver>;
  /** Withdraws a waiver; `version` is the one you loaded (a stale one gets 409). */
  deleteWaiver(id: string, version: number): Promise<void>;
  /**
   * A team's next best actions, ranked by cost of delay (see `costOfDelay`); a `ResponseError` with status 404 for a
   * group the catalog does not have.
   */
  getNextActions(query: NextActionsQuery): Promise<NextActionsResponse>;
  /** The checks promoted to permanent requirements; withdrawn ones too with `includeWithdrawn`. */
  listPromotions(query?: {
    includeWithdrawn?: boolean;
  }): Promise<CheckPromotion[]>;
  /**
   * Promotes checks to permanent requirements (all or none); a check already promoted to the same level answers its
   * promotion as it is. Needs `scorecards.definition.update`.
   */
  promoteChecks(request: PromoteChecksRequest): Promise<CheckPromotion[]>;
  /** Withdraws a promotion; `version` is the one you loaded (a stale one gets 409). */
  withdrawPromotion(id: string, version: number): Promise<void>;
}

/** Typed HTTP client of the scorecards backend, for the frontend and for other backends. @public */
export class ScorecardsClient implements ScorecardsApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: ScorecardsDiscovery;
    fetchApi?: ScorecardsFetch;
  }) {
    this.http = new PluginHttp('scorecards', options);
  }

  async getDefinitions(): Promise<ScorecardDefinition[]> {
    return (await this.http.json<DefinitionsResponse>('/definitions'))
      .scorecards;
  }

  getDefinition(id: string): Promise<ScorecardDefinition> {
    return this.http.json(`/definitions/${encodeURIComponent(id)}`);
  }

  getEntityResults(entityRef: string): Promise<EntityResultsResponse> {
    return this.http.json(`/entities/results${toQueryString({ entityRef })}`);
  }

  getEntityResultsBatch(
    entityRefs: string[],
  ): Promise<EntityResultsBatchResponse> {
    return this.http.json('/entities/results/batch', {
      method: 'POST',
      body: JSON.stringify({ entityRefs }),
    });
  }

  refreshEntity(entityRef: string): Promise<EntityResultsResponse> {
    return this.http.json('/entities/refresh', {
      method: 'POST',
      body: JSON.stringify({ entityRef }),
    });
  }

  getGroupRollup(groupRef: string): Promise<GroupRollupResponse> {
    return this.http.json(`/groups/rollup${toQueryString({ groupRef })}`);
  }

  getOrgSummary(query?: SummaryQuery): Promise<OrgSummaryResponse> {
    return this.http.json(`/summary${toQueryString(query)}`);
  }

  getHistory(query: HistoryQuery): Promise<HistoryResponse> {
    return this.http.json(`/history${toQueryString(query)}`);
  }

  async exportCsv(query?: SummaryQuery): Promise<string> {
    return (
      await this.http.request(`/export.csv${toQueryString(query)}`)
    ).text();
  }

  async listWaivers(query: {
    entityRef?: string;
    includeInactive?: boolean;
  }): Promise<Waiver[]> {
    return (
      await this.http.json<WaiversResponse>(`/waivers${toQueryString(query)}`)
    ).waivers;
  }

  getWaiver(id: string): Promise<Waiver> {
    return this.http.json(`/waivers/${encodeURIComponent(id)}`);
  }

  createWaiver(request: CreateWaiverRequest): Promise<Waiver> {
    return this.http.json('/waivers', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  updateWaiver(id: string, request: UpdateWaiverRequest): Promise<Waiver> {
    return this.http.json(`/waivers/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  async deleteWaiver(id: string, version: number): Promise<void> {
    await this.http.request(
      `/waivers/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }

  getNextActions(query: NextActionsQuery): Promise<NextActionsResponse> {
    return this.http.json(`/next-actions${toQueryString(query)}`);
  }

  async listPromotions(query?: {
    includeWithdrawn?: boolean;
  }): Promise<CheckPromotion[]> {
    return (
      await this.http.json<CheckPromotionsResponse>(
        `/promotions${toQueryString(query)}`,
      )
    ).promotions;
  }

  async promoteChecks(
    request: PromoteChecksRequest,
  ): Promise<CheckPromotion[]> {
    return (
      await this.http.json<CheckPromotionsResponse>('/promotions', {
        method: 'POST',
        body: JSON.stringify(request),
      })
    ).promotions;
  }

  async withdrawPromotion(id: string, version: number): Promise<void> {
    await this.http.request(
      `/promotions/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }
}
