import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { actorOf, createRouteGuards } from './routeGuards';

const entityPermission = createPermission({
  name: 'widgets.item.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const basicPermission = createPermission({
  name: 'widgets.reset',
  attributes: { action: 'update' },
});

function guardsWith(result: AuthorizeResult) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })) as any,
  });
  const events: string[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId }) => ({
      success: async () => {
        events.push(`${eventId}:success`);
      },
      fail: async () => {
        events.push(`${eventId}:fail`);
      },
    }),
  });
  const guards = createRouteGuards({
    httpAuth: mockServices.httpAuth(),
    permissions,
    auditor,
  });
  return { guards, permissions, events };
}

describe('actorOf', () => {
  it('names a person by their user entity ref and a service by its subject', () => {
    expect(actorOf(mockCredentials.user('user:default/ann'))).toBe(
      'user:default/ann',
    );
    expect(actorOf(mockCredentials.service('external:ci'))).toBe(
      'service:external:ci',
    );
  });
});

describe('createRouteGuards', () => {
  it('asks the policy about the entity and refuses with the given message', async () => {
    const { guards, permissions } = guardsWith(AuthorizeResult.DENY);
    await expect(
      guards.authorizeOnEntity(
        entityPermission,
        'component:default/a',
        mockCredentials.user(),
        'only its owners may',
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'only its owners may',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: entityPermission, resourceRef: 'component:default/a' }],
      expect.anything(),
    );
  });

  it('names the permission when a basic permission is refused, and passes when allowed', async () => {
    await expect(
      guardsWith(AuthorizeResult.DENY).guards.authorize(
        basicPermission,
        mockCredentials.user(),
        'reset this',
      ),
    ).rejects.toThrow(
      'You may not reset this: that needs the permission widgets.reset',
    );
    await expect(
      guardsWith(AuthorizeResult.ALLOW).guards.authorize(
        basicPermission,
        mockCredentials.user(),
        'reset this',
      ),
    ).resolves.toBeUndefined();
  });

  it('audits a write as success or failure and passes the error on', async () => {
    const { guards, events } = guardsWith(AuthorizeResult.ALLOW);
    const req = {} as any;
    await expect(guards.audited(req, 'w-ok', {}, async () => 7)).resolves.toBe(
      7,
    );
    await expect(
      guards.audited(req, 'w-bad', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(events).toEqual(['w-ok:success', 'w-bad:fail']);
  });
});
