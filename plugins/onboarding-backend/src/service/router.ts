import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { hideInternalErrors } from '@vitals/backend-common';
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
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OnboardingStore } from '../database/OnboardingStore';
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
}

const stepParamsSchema = z.object({
  checklistId: checklistIdSchema,
  stepId: stepIdSchema,
});
const userParamsSchema = z.object({ userRef: userRefSchema });

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, store, templates, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  /** Reads: any principal, user or service. */
  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /**
   * The signed-in person. Every write about people (start, tick, visit, reset) and every `/me` route needs a user
   * token: a service principal gets 403 from Backstage, whatever its permissions.
   */
  async function userOf(req: Request): Promise<{
    credentials: BackstageCredentials<BackstageUserPrincipal>;
    userRef: string;
  }> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = normalizeEntityRef(credentials.principal.userEntityRef);
    if (!userRef)
      throw new NotAllowedError(
        'The signed-in identity has no user entity ref',
      );
    return { credentials, userRef };
  }

  /** Refuses, with a 403 naming the permission, a caller who may not change someone else's onboarding this way. */
  async function requirePermission(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    what: string,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${what}: that needs the permission ${permission.name}`,
      );
    }
  }

  async function audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'low',
      request: req,
      meta,
    });
    try {
      const result = await fn();
      await event.success({ meta });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      throw error;
    }
  }

  /** Starts a person's checklists (their own, or an admin's doing), audited. */
  async function start(
    req: Request,
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
    res.json(
      (await service.getOnboarding(userRef)) ?? {
        userRef,
        started: false,
        checklists: [],
      },
    );
  });

  router.post('/v1/me/checklists', async (req, res) => {
    const { userRef } = await userOf(req);
    res.json(
      (await start(req, userRef, userRef)) ?? {
        userRef,
        started: false,
        checklists: [],
      },
    );
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
    await credentialsOf(req);
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
      await requirePermission(
        credentials,
        onboardingProgressStartPermission,
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
    await requirePermission(
      credentials,
      onboardingProgressResetPermission,
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
    await credentialsOf(req);
    const q = parseInput(historyQuerySchema, req.query, 'query');
    res.json(await store.listHistory(q));
  });

  router.get('/v1/teams/report', async (req, res) => {
    await credentialsOf(req);
    const { groupRef } = parseInput(teamReportQuerySchema, req.query, 'query');
    const report = await service.teamReport(groupRef);
    if (!report) throw new NotFoundError(`No group ${groupRef} in the catalog`);
    res.json(report);
  });

  router.get('/v1/report', async (req, res) => {
    await credentialsOf(req);
    parseInput(z.object({}).strict(), req.query, 'query');
    res.json(await service.orgReport());
  });

  router.get('/v1/templates', async (req, res) => {
    await credentialsOf(req);
    res.json({
      templates: templates.summaries(),
      problems: templates.listProblems(),
    });
  });

  router.use(hideInternalErrors(options.logger, 'onboarding'));
  return router;
}
