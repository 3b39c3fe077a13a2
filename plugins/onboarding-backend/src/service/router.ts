import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AnyRequest,
  createRouteGuards,
  hideInternalErrors,
  nameUnknownBodyFields,
} from '@vitals/backend-common';
import { normalizeEntityRef, parseInput } from '@vitals/common';
import {
  checklistIdSchema,
  entityChecklistQuerySchema,
  historyQuerySchema,
  MyOnboarding,
  onboardingProgressResetPermission,
  onboardingProgressStartPermission,
  reportVisitRequestSchema,
  resetProgressRequestSchema,
  setStepDoneRequestSchema,
  startOnboardingRequestSchema,
  stepIdSchema,
  teamReportQuerySchema,
  userRefSchema,
} from '@vitals/plugin-onboarding-common';
import express from 'express';
import { z } from 'zod';
import { OnboardingStore } from '../database/OnboardingStore';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { OnboardingService } from './OnboardingService';

export interface RouterOptions {
  service: OnboardingService;
  store: OnboardingStore;
  templates: TemplateRegistry;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /**
   * For tests: also check every response against the spec (a response that breaks it becomes a 500), so that the
   * spec's exact response schemas are held to what the handlers really send.
   */
  validateResponses?: boolean;
}

const stepParamsSchema = z.object({
  checklistId: checklistIdSchema,
  stepId: stepIdSchema,
});
const userParamsSchema = z.object({ userRef: userRefSchema });

/** The answer about a person whose onboarding has not started (or who is not in the catalog). */
const notStarted = (userRef: string): MyOnboarding => ({
  userRef,
  started: false,
  checklists: [],
});

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, store, templates } = options;
  // The validator checks every request against the spec before a handler runs: a request that breaks it is a 400
  // naming the field. The handlers still parse with the zod schemas of -common, for the typed, normalised values
  // and for what the spec cannot say (a ref that is not a user ref, a ref too long once normalised).
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '16kb' })],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });
  // Reads: any principal, user or service. Every write about people (start, tick, visit, reset) and every `/me`
  // route needs a user token (`personOf`): a service principal gets 403 from Backstage, whatever its permissions.
  const guards = createRouteGuards(options);
  const { readerOf, authorize } = guards;
  /** Starts, ticks, visits and resets are routine writes: audited with severity low. */
  const audited = <T>(
    req: AnyRequest,
    eventId: string,
    meta: Parameters<typeof guards.audited>[2],
    fn: () => Promise<T>,
  ) => guards.audited(req, eventId, meta, fn, 'low');

  /** The signed-in person, with their user entity ref normalised (the one way refs are compared here). */
  async function userOf(req: AnyRequest) {
    const credentials = await guards.personOf(req);
    const userRef = normalizeEntityRef(credentials.principal.userEntityRef);
    if (!userRef)
      throw new NotAllowedError(
        'The signed-in identity has no user entity ref',
      );
    return { credentials, userRef };
  }

  /** Starts a person's checklists (their own, or an admin's doing), audited. */
  async function start(
    req: AnyRequest,
    userRef: string,
    actorRef: string,
  ): Promise<MyOnboarding | undefined> {
    const { entityRef } = parseInput(
      startOnboardingRequestSchema,
      req.body,
      'request body',
    );
    return audited(
      req,
      'onboarding-start',
      { userRef, entityRef: entityRef ?? null, actor: actorRef },
      () => service.start(userRef, { entityRef }),
    );
  }

  router.get('/v1/me/checklists', async (req, res) => {
    const { userRef } = await userOf(req);
    res.json((await service.getOnboarding(userRef)) ?? notStarted(userRef));
  });

  router.post('/v1/me/checklists', async (req, res) => {
    const { userRef } = await userOf(req);
    res.json((await start(req, userRef, userRef)) ?? notStarted(userRef));
  });

  router.put(
    '/v1/me/checklists/:checklistId/steps/:stepId',
    async (req, res) => {
      const { userRef } = await userOf(req);
      const { checklistId, stepId } = parseInput(
        stepParamsSchema,
        req.params,
        'step',
      );
      const { done } = parseInput(
        setStepDoneRequestSchema,
        req.body,
        'request body',
      );
      const checklist = await audited(
        req,
        'onboarding-step-set',
        { userRef, checklistId, stepId, done },
        () => service.setStepDone(userRef, checklistId, stepId, done),
      );
      res.json(checklist);
    },
  );

  router.post('/v1/me/visits', async (req, res) => {
    const { userRef } = await userOf(req);
    const body = parseInput(reportVisitRequestSchema, req.body, 'request body');
    await audited(
      req,
      'onboarding-visit',
      { userRef, entityRef: body.entityRef, kind: body.kind },
      () => service.reportVisit(userRef, body.entityRef, body.kind),
    );
    res.status(204).end();
  });

  router.get('/v1/entity-checklist', async (req, res) => {
    const { userRef } = await userOf(req);
    const { entityRef } = parseInput(
      entityChecklistQuerySchema,
      req.query,
      'query',
    );
    const checklist = await service.getEntityChecklist(userRef, entityRef);
    if (checklist === undefined)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    res.json({ checklist });
  });

  router.get('/v1/users/:userRef/checklists', async (req, res) => {
    await readerOf(req);
    const { userRef } = parseInput(userParamsSchema, req.params, 'user');
    const onboarding = await service.getOnboarding(userRef);
    if (!onboarding)
      throw new NotFoundError(`No user ${userRef} in the catalog`);
    res.json(onboarding);
  });

  router.post('/v1/users/:userRef/checklists', async (req, res) => {
    const { credentials, userRef: caller } = await userOf(req);
    const { userRef } = parseInput(userParamsSchema, req.params, 'user');
    // Starting one's own onboarding is one's own business; starting someone else's is an admin's.
    if (userRef !== caller) {
      await authorize(
        onboardingProgressStartPermission,
        credentials,
        `start the onboarding of ${userRef}`,
      );
    }
    const onboarding = await start(req, userRef, caller);
    if (!onboarding)
      throw new NotFoundError(`No user ${userRef} in the catalog`);
    res.json(onboarding);
  });

  router.post('/v1/users/:userRef/reset', async (req, res) => {
    const { credentials, userRef: actorRef } = await userOf(req);
    const { userRef } = parseInput(userParamsSchema, req.params, 'user');
    await authorize(
      onboardingProgressResetPermission,
      credentials,
      `reset the onboarding progress of ${userRef}`,
    );
    const { checklistId } = parseInput(
      resetProgressRequestSchema,
      req.body,
      'request body',
    );
    await audited(
      req,
      'onboarding-progress-reset',
      { userRef, checklistId: checklistId ?? null, actor: actorRef },
      () => service.reset(userRef, checklistId, actorRef),
    );
    res.status(204).end();
  });

  router.get('/v1/history', async (req, res) => {
    await readerOf(req);
    const q = parseInput(historyQuerySchema, req.query, 'query');
    res.json(await store.listHistory(q));
  });

  router.get('/v1/teams/report', async (req, res) => {
    await readerOf(req);
    const { groupRef } = parseInput(teamReportQuerySchema, req.query, 'query');
    const report = await service.teamReport(groupRef);
    if (!report) throw new NotFoundError(`No group ${groupRef} in the catalog`);
    res.json(report);
  });

  router.get('/v1/report', async (req, res) => {
    await readerOf(req);
    res.json(await service.orgReport());
  });

  router.get('/v1/templates', async (req, res) => {
    await readerOf(req);
    res.json({
      templates: templates.summaries(),
      problems: templates.listProblems(),
    });
  });

  // The validator refuses a body field its schema does not list without naming it: name it.
  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(options.logger, 'onboarding'));
  return router;
}
