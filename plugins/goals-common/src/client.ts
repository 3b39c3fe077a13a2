import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type { FigureDescriptor, FigureSpec } from './figures';
import type {
  CreateCampaignRequest,
  CreateGoalRequest,
  GetCampaignQuery,
  ListCampaignEntitiesQuery,
  ListCampaignsQuery,
  ListGoalsQuery,
  StakeholderReportQuery,
  UpdateCampaignRequest,
  PromoteCampaignRequest,
  UpdateGoalRequest,
} from './schemas';
import type {
  CampaignDetail,
  CampaignEntityPage,
  CampaignEvent,
  CampaignPage,
  CampaignPreview,
  FigurePreview,
  GoalDetail,
  GoalEvent,
  GoalPage,
  StakeholderReport,
} from './types';

/** The goals and campaigns API. @public */
export interface GoalsApi {
  getFigureCatalogue(): Promise<FigureSpec[]>;
  previewFigure(request: {
    figure: FigureDescriptor;
    period?: string;
  }): Promise<FigurePreview>;
  listGoals(query?: ListGoalsQuery): Promise<GoalPage>;
  getGoal(id: string): Promise<GoalDetail>;
  getGoalEvents(id: string): Promise<GoalEvent[]>;
  createGoal(request: CreateGoalRequest): Promise<GoalDetail>;
  updateGoal(id: string, request: UpdateGoalRequest): Promise<GoalDetail>;
  setManualValue(
    id: string,
    keyResultId: string,
    request: { version: number; value: number },
  ): Promise<GoalDetail>;
  /** Deletes the goal if `version` is still its current version (a stale one is a 409 `ResponseError`). */
  deleteGoal(id: string, version: number): Promise<void>;
  listCampaigns(query?: ListCampaignsQuery): Promise<CampaignPage>;
  /** A campaign; `entityLimit` bounds the entity states sent with it (0 for none: page them with {@link GoalsApi.listCampaignEntities}). */
  getCampaign(id: string, query?: GetCampaignQuery): Promise<CampaignDetail>;
  /** A page of a campaign's entity states (open first, then waived, then done), with how many match. */
  listCampaignEntities(
    id: string,
    query?: ListCampaignEntitiesQuery,
  ): Promise<CampaignEntityPage>;
  getCampaignEvents(id: string): Promise<CampaignEvent[]>;
  previewCampaign(request: CreateCampaignRequest): Promise<CampaignPreview>;
  createCampaign(request: CreateCampaignRequest): Promise<CampaignDetail>;
  updateCampaign(
    id: string,
    request: UpdateCampaignRequest,
  ): Promise<CampaignDetail>;
  deleteCampaign(id: string, version: number): Promise<void>;
  /**
   * Makes an ended campaign's checks permanent scorecard requirements (needs `goals.campaign.update` and the
   * scorecards' `scorecards.definition.update`); a `ResponseError` with status 409 while it runs or once promoted.
   */
  promoteCampaign(
    id: string,
    request: PromoteCampaignRequest,
  ): Promise<CampaignDetail>;
  /** The stakeholder report of a team (`group:…`) or the org (`org`) for a quarter. */
  getStakeholderReport(
    query: StakeholderReportQuery,
  ): Promise<StakeholderReport>;
  /** The stakeholder report as a Markdown document or a CSV file, as text. */
  exportStakeholderReport(
    query: StakeholderReportQuery,
    format: 'markdown' | 'csv',
  ): Promise<string>;
}

/** Typed HTTP client of the goals backend, for the frontend and for other backends. @public */
export class GoalsClient implements GoalsApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: PluginDiscovery;
    fetchApi?: PluginFetch;
  }) {
    this.http = new PluginHttp('goals', options);
  }

  async getFigureCatalogue(): Promise<FigureSpec[]> {
    const body = await this.http.json<{ figures: FigureSpec[] }>('/figures');
    return body.figures;
  }

  previewFigure(request: {
    figure: FigureDescriptor;
    period?: string;
  }): Promise<FigurePreview> {
    return this.http.json('/figures/preview', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  listGoals(query?: ListGoalsQuery): Promise<GoalPage> {
    return this.http.json(`/goals${toQueryString(query)}`);
  }

  getGoal(id: string): Promise<GoalDetail> {
    return this.http.json(`/goals/${encodeURIComponent(id)}`);
  }

  async getGoalEvents(id: string): Promise<GoalEvent[]> {
    const body = await this.http.json<{ events: GoalEvent[] }>(
      `/goals/${encodeURIComponent(id)}/events`,
    );
    return body.events;
  }

  createGoal(request: CreateGoalRequest): Promise<GoalDetail> {
    return this.http.json('/goals', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  updateGoal(id: string, request: UpdateGoalRequest): Promise<GoalDetail> {
    return this.http.json(`/goals/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  setManualValue(
    id: string,
    keyResultId: string,
    request: { version: number; value: number },
  ): Promise<GoalDetail> {
    return this.http.json(
      `/goals/${encodeURIComponent(id)}/key-results/${encodeURIComponent(
        keyResultId,
      )}/value`,
      { method: 'PUT', body: JSON.stringify(request) },
    );
  }

  async deleteGoal(id: string, version: number): Promise<void> {
    await this.http.request(
      `/goals/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }

  listCampaigns(query?: ListCampaignsQuery): Promise<CampaignPage> {
    return this.http.json(`/campaigns${toQueryString(query)}`);
  }

  getCampaign(id: string, query?: GetCampaignQuery): Promise<CampaignDetail> {
    return this.http.json(
      `/campaigns/${encodeURIComponent(id)}${toQueryString(query)}`,
    );
  }

  listCampaignEntities(
    id: string,
    query?: ListCampaignEntitiesQuery,
  ): Promise<CampaignEntityPage> {
    return this.http.json(
      `/campaigns/${encodeURIComponent(id)}/entities${toQueryString(query)}`,
    );
  }

  async getCampaignEvents(id: string): Promise<CampaignEvent[]> {
    const body = await this.http.json<{ events: CampaignEvent[] }>(
      `/campaigns/${encodeURIComponent(id)}/events`,
    );
    return body.events;
  }

  previewCampaign(request: CreateCampaignRequest): Promise<CampaignPreview> {
    return this.http.json('/campaigns/preview', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  createCampaign(request: CreateCampaignRequest): Promise<CampaignDetail> {
    return this.http.json('/campaigns', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  updateCampaign(
    id: string,
    request: UpdateCampaignRequest,
  ): Promise<CampaignDetail> {
    return this.http.json(`/campaigns/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  promoteCampaign(
    id: string,
    request: PromoteCampaignRequest,
  ): Promise<CampaignDetail> {
    return this.http.json(`/campaigns/${encodeURIComponent(id)}/promote`, {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  async deleteCampaign(id: string, version: number): Promise<void> {
    await this.http.request(
      `/campaigns/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }

  getStakeholderReport(
    query: StakeholderReportQuery,
  ): Promise<StakeholderReport> {
    return this.http.json(
      `/reports/stakeholder${toQueryString({ ...query, format: 'json' })}`,
    );
  }

  async exportStakeholderReport(
    query: StakeholderReportQuery,
    format: 'markdown' | 'csv',
  ): Promise<string> {
    return (
      await this.http.request(
        `/reports/stakeholder${toQueryString({ ...query, format })}`,
      )
    ).text();
  }
}
