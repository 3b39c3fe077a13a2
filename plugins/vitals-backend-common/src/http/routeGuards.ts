import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/**
 * Any express request, whatever its typed params, query and body: the typed requests of an OpenAPI router included.
 *
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRequest = Request<any, any, any, any>;

/**
 * Who made a request, as written in history rows and audit events: the user entity ref of a person, or
 * `service:<subject>` for a service principal (a CI token, another plugin).
 *
 * @public
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  return `service:${principal.subject ?? 'unknown'}`;
}

/**
 * The checks every Vitals route makes, one way for all areas.
 *
 * @public
 */
export interface RouteGuards {
  /** Reads: a person or a service (CI, another plugin); no credentials is a 401. */
  readerOf(req: AnyRequest): Promise<BackstageCredentials>;
  /**
   * Writes that are a person's decision: a service token gets 403 from Backstage whatever the permission says, because
   * Backstage lets a service principal through every permission check without asking the policy.
   */
  personOf(
    req: AnyRequest,
  ): Promise<BackstageCredentials<BackstageUserPrincipal>>;
  /** Asks the permission policy about one entity; a refusal is a 403 with `refusal` as its message. */
  authorizeOnEntity(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
    refusal: string,
  ): Promise<void>;
  /** Asks the permission policy about a permission with no resource; a refusal is a 403 naming the permission. */
  authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void>;
  /** Runs a write as an audit event: success with its metadata, or failure with the error, which is thrown on. */
  audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<T>,
    severityLevel?: AuditorServiceEventSeverityLevel,
  ): Promise<T>;
}

/**
 * Builds the {@link RouteGuards} of a router from the plugin's core services.
 *
 * @public
 */
export function createRouteGuards(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}): RouteGuards {
  const { httpAuth, permissions, auditor } = options;
  return {
    readerOf: req => httpAuth.credentials(req, { allow: ['user', 'service'] }),
    personOf: req => httpAuth.credentials(req, { allow: ['user'] }),
    async authorizeOnEntity(permission, entityRef, credentials, refusal) {
      const [decision] = await permissions.authorize(
        [{ permission, resourceRef: entityRef }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(refusal);
      }
    },
    async authorize(permission, credentials, what) {
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not ${what}: that needs the permission ${permission.name}`,
        );
      }
    },
    async audited(req, eventId, meta, fn, severityLevel = 'medium') {
      const event = await auditor.createEvent({
        eventId,
        severityLevel,
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
    },
  };
}
