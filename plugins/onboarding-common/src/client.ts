import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type {
  Checklist,
  EntityChecklistResponse,
  MyOnboarding,
  OrgOnboardingReport,
  StepCompletionPage,
  TeamOnboardingReport,
  TemplatesResponse,
  VisitKind,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export type OnboardingDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type OnboardingFetch = PluginFetch;

/** The onboarding checklists API. @public */
export interface OnboardingApi {
  /** The caller's checklists, as stored (reading starts nothing: `started` is false until they start). */
  getMyOnboarding(): Promise<MyOnboarding>;
  /**
   * Starts (or brings up to date) the caller's own checklists: those of their teams and the services their teams own,
   * or with `entityRef` that entity's checklist. Idempotent: a checklist's start never changes. Returns all of them.
   */
  startMyOnboarding(request?: { entityRef?: string }): Promise<MyOnboarding>;
  /**
   * Starts a person's checklists as {@link OnboardingApi.startMyOnboarding} does; for anyone but the caller it needs
   * `onboarding.progress.start`.
   */
  startOnboarding(request: {
    userRef: string;
    entityRef?: string;
  }): Promise<MyOnboarding>;
  /**
   * Ticks or unticks a manual step of the caller's own checklist; returns the checklist. Ticking a step of an entity
   * checklist the caller has not started starts it.
   */
  setStepDone(request: {
    checklistId: string;
    stepId: string;
    done: boolean;
  }): Promise<Checklist>;
  /** Reports that the caller opened an entity's docs (completes docs-visit steps). */
  reportVisit(request: { entityRef: string; kind: VisitKind }): Promise<void>;
  /**
   * The caller's checklist for an entity (without `startedAt` when they have not started it: ticking a step starts
   * it), or `{ checklist: null }` when no template targets it.
   */
  getEntityChecklist(request: {
    entityRef: string;
  }): Promise<EntityChecklistResponse>;
  /** Anyone's checklists (read-only: `started` is false and the list empty until their onboarding starts). */
  getUserOnboarding(request: { userRef: string }): Promise<MyOnboarding>;
  /** Resets a person's progress (one checklist or all); needs `onboarding.progress.reset`. */
  resetProgress(request: {
    userRef: string;
    checklistId?: string;
  }): Promise<void>;
  /** The append-only history of step completions, newest first. */
  getHistory(request?: {
    userRef?: string;
    limit?: number;
    offset?: number;
  }): Promise<StepCompletionPage>;
  getTeamReport(request: { groupRef: string }): Promise<TeamOnboardingReport>;
  getOrgReport(): Promise<OrgOnboardingReport>;
  /** The loaded templates and the problems of those that were not loaded. */
  getTemplates(): Promise<TemplatesResponse>;
}

/** Typed HTTP client of the onboarding backend, for the frontend and for other backends. @public */
export class OnboardingClient implements OnboardingApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: OnboardingDiscovery;
    fetchApi?: OnboardingFetch;
  }) {
    this.http = new PluginHttp('onboarding', options);
  }

  getMyOnboarding(): Promise<MyOnboarding> {
    return this.http.json('/me/checklists');
  }

  startMyOnboarding(request?: { entityRef?: string }): Promise<MyOnboarding> {
    return this.http.json('/me/checklists', {
      method: 'POST',
      body: JSON.stringify(
        request?.entityRef ? { entityRef: request.entityRef } : {},
      ),
    });
  }

  startOnboarding(request: {
    userRef: string;
    entityRef?: string;
  }): Promise<MyOnboarding> {
    return this.http.json(
      `/users/${encodeURIComponent(request.userRef)}/checklists`,
      {
        method: 'POST',
        body: JSON.stringify(
          request.entityRef ? { entityRef: request.entityRef } : {},
        ),
      },
    );
  }

  setStepDone(request: {
    checklistId: string;
    stepId: string;
    done: boolean;
  }): Promise<Checklist> {
    return this.http.json(
      `/me/checklists/${encodeURIComponent(
        request.checklistId,
      )}/steps/${encodeURIComponent(request.stepId)}`,
      { method: 'PUT', body: JSON.stringify({ done: request.done }) },
    );
  }

  async reportVisit(request: {
    entityRef: string;
    kind: VisitKind;
  }): Promise<void> {
    await this.http.request('/me/visits', {
      method: 'POST',
      body: JSON.stringify({
        entityRef: request.entityRef,
        kind: request.kind,
      }),
    });
  }

  getEntityChecklist(request: {
    entityRef: string;
  }): Promise<EntityChecklistResponse> {
    return this.http.json(
      `/entity-checklist${toQueryString({ entityRef: request.entityRef })}`,
    );
  }

  getUserOnboarding(request: { userRef: string }): Promise<MyOnboarding> {
    return this.http.json(
      `/users/${encodeURIComponent(request.userRef)}/checklists`,
    );
  }

  async resetProgress(request: {
    userRef: string;
    checklistId?: string;
  }): Promise<void> {
    await this.http.request(
      `/users/${encodeURIComponent(request.userRef)}/reset`,
      {
        method: 'POST',
        body: JSON.stringify(
          request.checklistId ? { checklistId: request.checklistId } : {},
        ),
      },
    );
  }

  getHistory(request?: {
    userRef?: string;
    limit?: number;
    offset?: number;
  }): Promise<StepCompletionPage> {
    return this.http.json(`/history${toQueryString(request)}`);
  }

  getTeamReport(request: { groupRef: string }): Promise<TeamOnboardingReport> {
    return this.http.json(
      `/teams/report${toQueryString({ groupRef: request.groupRef })}`,
    );
  }

  getOrgReport(): Promise<OrgOnboardingReport> {
    return this.http.json('/report');
  }

  getTemplates(): Promise<TemplatesResponse> {
    return this.http.json('/templates');
  }
}
