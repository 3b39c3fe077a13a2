import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type {
  CoverageQuery,
  CreateActionItemRequest,
  CreatePostmortemRequest,
  EntityFiguresQuery,
  FollowThroughQuery,
  LinkActionItemRequest,
  ListPostmortemsQuery,
  UpdatePostmortemRequest,
} from './schemas';
import type {
  ActionItem,
  CoverageResponse,
  EntityFiguresResponse,
  FollowThroughResponse,
  Postmortem,
  PostmortemDetail,
  PostmortemHistoryEntry,
  PostmortemIncident,
  PostmortemPage,
  PostmortemStatus,
  PostmortemTemplateList,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export type PostmortemsDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type PostmortemsFetch = PluginFetch;

/** An incident of an entity with its postmortem, if one was started. @public */
export interface IncidentWithPostmortem {
  incident: PostmortemIncident;
  /**
   * The incident's postmortem. `title` is null for a draft (or one in review) the caller may not read: it shows that
   * one was started, not what it says.
   */
  postmortem: {
    id: string;
    status: PostmortemStatus;
    title: string | null;
  } | null;
}

/** `GET /v1/incidents`. @public */
export interface IncidentPage {
  items: IncidentWithPostmortem[];
  totalCount: number;
}

/** Query of `GET /v1/incidents` as the client sends it. @public */
export interface ListIncidentsQuery {
  /** The affected entity. */
  entityRef: string;
  /** Only the incidents that need a published postmortem (true) or the others (false). */
  qualifying?: boolean;
  limit?: number;
  offset?: number;
}

/** The postmortems API. @public */
export interface PostmortemsApi {
  listTemplates(): Promise<PostmortemTemplateList>;
  /** An entity's incidents (newest first), each with its postmortem's id and status. */
  listIncidents(query: ListIncidentsQuery): Promise<IncidentPage>;
  /** The postmortems the caller may read that match the filter, newest incident first. */
  listPostmortems(query?: ListPostmortemsQuery): Promise<PostmortemPage>;
  getPostmortem(id: string): Promise<PostmortemDetail>;
  /** Starts a draft for an incident (409 when the incident has one). */
  createPostmortem(request: CreatePostmortemRequest): Promise<Postmortem>;
  /** Edits sections, authors or status if `version` is still current (a stale one is a 409 `ResponseError`). */
  updatePostmortem(
    id: string,
    request: UpdatePostmortemRequest,
  ): Promise<Postmortem>;
  getHistory(id: string): Promise<PostmortemHistoryEntry[]>;
  listActionItems(id: string): Promise<ActionItem[]>;
  /** Creates a debt item on the affected entity, with the caller's credentials, and links it both ways. */
  createActionItem(
    id: string,
    request: CreateActionItemRequest,
  ): Promise<ActionItem>;
  /** Links an existing debt item (or changes its due date), both ways. */
  linkActionItem(
    id: string,
    debtItemId: string,
    request?: LinkActionItemRequest,
  ): Promise<ActionItem>;
  /** Unlinks a debt item, both ways; the debt item itself stays in the register. */
  unlinkActionItem(id: string, debtItemId: string): Promise<void>;
  getFollowThrough(query?: FollowThroughQuery): Promise<FollowThroughResponse>;
  getCoverage(query?: CoverageQuery): Promise<CoverageResponse>;
  getEntityFigures(query: EntityFiguresQuery): Promise<EntityFiguresResponse>;
}

const pathOf = (id: string) => `/postmortems/${encodeURIComponent(id)}`;

/** Typed HTTP client of the postmortems backend, for the frontend and for other backends. @public */
export class PostmortemsClient implements PostmortemsApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: PostmortemsDiscovery;
    fetchApi?: PostmortemsFetch;
  }) {
    this.http = new PluginHttp('postmortems', options);
  }

  listTemplates(): Promise<PostmortemTemplateList> {
    return this.http.json('/templates');
  }

  listIncidents(query: ListIncidentsQuery): Promise<IncidentPage> {
    return this.http.json(`/incidents${toQueryString(query)}`);
  }

  listPostmortems(query?: ListPostmortemsQuery): Promise<PostmortemPage> {
    return this.http.json(`/postmortems${toQueryString(query)}`);
  }

  getPostmortem(id: string): Promise<PostmortemDetail> {
    return this.http.json(pathOf(id));
  }

  createPostmortem(request: CreatePostmortemRequest): Promise<Postmortem> {
    return this.http.json('/postmortems', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  updatePostmortem(
    id: string,
    request: UpdatePostmortemRequest,
  ): Promise<Postmortem> {
    return this.http.json(pathOf(id), {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  async getHistory(id: string): Promise<PostmortemHistoryEntry[]> {
    const body = await this.http.json<{ entries: PostmortemHistoryEntry[] }>(
      `${pathOf(id)}/history`,
    );
    return body.entries;
  }

  async listActionItems(id: string): Promise<ActionItem[]> {
    const body = await this.http.json<{ items: ActionItem[] }>(
      `${pathOf(id)}/action-items`,
    );
    return body.items;
  }

  createActionItem(
    id: string,
    request: CreateActionItemRequest,
  ): Promise<ActionItem> {
    return this.http.json(`${pathOf(id)}/action-items`, {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  linkActionItem(
    id: string,
    debtItemId: string,
    request: LinkActionItemRequest = {},
  ): Promise<ActionItem> {
    return this.http.json(
      `${pathOf(id)}/action-items/${encodeURIComponent(debtItemId)}`,
      { method: 'PUT', body: JSON.stringify(request) },
    );
  }

  async unlinkActionItem(id: string, debtItemId: string): Promise<void> {
    await this.http.request(
      `${pathOf(id)}/action-items/${encodeURIComponent(debtItemId)}`,
      { method: 'DELETE' },
    );
  }

  getFollowThrough(query?: FollowThroughQuery): Promise<FollowThroughResponse> {
    return this.http.json(`/follow-through${toQueryString(query)}`);
  }

  getCoverage(query?: CoverageQuery): Promise<CoverageResponse> {
    return this.http.json(`/coverage${toQueryString(query)}`);
  }

  getEntityFigures(query: EntityFiguresQuery): Promise<EntityFiguresResponse> {
    return this.http.json(`/entity-figures${toQueryString(query)}`);
  }
}
