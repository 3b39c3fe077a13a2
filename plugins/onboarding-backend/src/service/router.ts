import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseInput } from '@vitals/common';
import {
  checklistIdSchema,
  entityChecklistQuerySchema,
  historyQuerySchema,
  onboardingProgressResetPermission,
  reportVisitRequestSchema,
  resetProgressRequestSchema,
  setStepDoneRequestSchema,
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
}

const stepParamsSchema = z.object({ checklistId: checklistIdSchema, stepId: stepIdSchema });
const userParamsSchema = z.object({ userRef: userRefSchema });

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
  return principal.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef
    : `service:${principal.subject ?? 'unknown'}`;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { service, store, templates, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  const credentialsOf = (req: Request) => httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** The signed-in person; progress is personal, so a service cannot act as "me". */
  async function userOf(req: Request): Promise<{ credentials: BackstageCredentials<BackstageUserPrincipal>; userRef: string }> {
    const credentials = await credentialsOf(req);
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError(
        'This route is about the signed-in person’s own onboarding and needs a user token; services can read GET /v1/users/:userRef/checklists',
      );
    }
    const user = credentials as BackstageCredentials<BackstageUserPrincipal>;
    return { credentials: user, userRef: user.principal.userEntityRef.toLocaleLowerCase('en-US') };
  }

  async function audited<T>(req: Request, eventId: string, meta: JsonObject, fn: () => Promise<T>): Promise<T> {
    const event = await auditor.createEvent({ eventId, severityLevel: 'low', request: req, meta });
    try {
      const result = await fn();
      await event.success({ meta });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      throw error;
    }
  }

  router.get('/v1/me/checklists', async (req, res) => {
    const { userRef } = await userOf(req);
    res.json((await service.getOnboarding(userRef)) ?? { userRef, checklists: [] });
  });

  router.put('/v1/me/checklists/:checklistId/steps/:stepId', async (req, res) => {
    const { userRef } = await userOf(req);
    const { checklistId, stepId } = parseInput(stepParamsSchema, req.params, 'step');
    const { done } = parseInput(setStepDoneRequestSchema, req.body, 'request body');
    const checklist = await audited(req, 'onboarding-step-set', { userRef, checklistId, stepId, done }, () =>
      service.setStepDone(userRef, checklistId, stepId, done),
    );
    res.json(checklist);
  });

  router.post('/v1/me/visits', async (req, res) => {
    const { userRef } = await userOf(req);
    const body = parseInput(reportVisitRequestSchema, req.body, 'request body');
    await audited(req, 'onboarding-visit', { userRef, entityRef: body.entityRef, kind: body.kind }, () =>
      service.reportVisit(userRef, body.entityRef, body.kind),
    );
    res.status(204).end();
  });

  router.get('/v1/entity-checklist', async (req, res) => {
    const { userRef } = await userOf(req);
    const { entityRef } = parseInput(entityChecklistQuerySchema, req.query, 'query');
    const checklist = await service.getEntityChecklist(userRef, entityRef);
    if (checklist === undefined) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    res.json({ checklist });
  });

  router.get('/v1/users/:userRef/checklists', async (req, res) => {
    await credentialsOf(req);
    const { userRef } = parseInput(userParamsSchema, req.params, 'user');
    const onboarding = await service.getOnboarding(userRef);
    if (!onboarding) throw new NotFoundError(`No user ${userRef} in the catalog`);
    res.json(onboarding);
  });

  router.post('/v1/users/:userRef/reset', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { userRef } = parseInput(userParamsSchema, req.params, 'user');
    const { checklistId } = parseInput(resetProgressRequestSchema, req.body, 'request body');
    const [decision] = await permissions.authorize([{ permission: onboardingProgressResetPermission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not reset the onboarding progress of ${userRef}: that needs the permission onboarding.progress.reset`);
    }
    await audited(req, 'onboarding-progress-reset', { userRef, checklistId: checklistId ?? null, actor: actorOf(credentials) }, () =>
      service.reset(userRef, checklistId, actorOf(credentials)),
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
    res.json({ templates: templates.summaries(), problems: templates.listProblems() });
  });

  return router;
}
