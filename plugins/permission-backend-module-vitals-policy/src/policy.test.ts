import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  postmortemCreatePermission,
  postmortemReadPermission,
  postmortemUpdatePermission,
} from '@vitals/plugin-postmortems-common';
import { VitalsPermissionPolicy } from './policy';

const policy = new VitalsPermissionPolicy({
  adminGroups: ['group:default/platform'],
});

function userWith(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    token: 'unused',
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser;
}

const member = userWith('user:default/guest', 'group:default/payments');
const admin = userWith('user:default/priya.nair', 'group:default/Platform');

const debtCreate = createPermission({
  name: 'tech-debt.item.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});
const somebodyElsesWrite = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});
const somebodyElsesRead = createPermission({
  name: 'scaffolder.task.read',
  attributes: { action: 'read' },
});

const decide = (permission: Permission, user?: PolicyQueryUser) =>
  policy.handle({ permission }, user);

describe('VitalsPermissionPolicy', () => {
  it('lets every signed-in user read and validate, and nobody without a user do anything', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      somebodyElsesRead,
      catalogEntityValidatePermission,
    ]) {
      expect(await decide(permission, member)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await decide(permission, undefined)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
    expect(await decide(catalogEntityReadPermission, userWith())).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("gives an entity's owners a conditional decision on deleting and refreshing it, and admins a plain yes", async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogEntityRefreshPermission,
    ]) {
      const decision = await decide(permission, member);
      expect(decision).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          anyOf: [
            {
              rule: 'IS_ENTITY_OWNER',
              params: {
                claims: ['user:default/guest', 'group:default/payments'],
              },
            },
            {
              rule: 'IS_CLAIMED_ENTITY',
              params: {
                claims: ['user:default/guest', 'group:default/payments'],
              },
            },
          ],
        },
      });
      // Group refs compare case-insensitively, as the catalog compares them.
      expect(await decide(permission, admin)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('leaves catalog locations and entity creation to admins', async () => {
    for (const permission of [
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
      catalogEntityCreatePermission,
    ]) {
      expect(await decide(permission, member)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(permission, admin)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it("decides Vitals writes by the entity's ownership, for admins too", async () => {
    expect(await decide(debtCreate, member)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
    });
    expect(await decide(debtCreate, admin)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
    });
  });

  it('lets only admins start or reset somebody else’s onboarding', async () => {
    for (const name of [
      'onboarding.progress.reset',
      'onboarding.progress.start',
    ]) {
      const permission = createPermission({
        name,
        attributes: { action: 'update' },
      });
      expect(await decide(permission, member)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(permission, admin)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('denies any change it does not know, to admins too', async () => {
    expect(await decide(somebodyElsesWrite, member)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(somebodyElsesWrite, admin)).toEqual({
      result: AuthorizeResult.DENY,
    });
    const unscopedVitalsWrite = createPermission({
      name: 'dora.something.delete',
      attributes: { action: 'delete' },
    });
    expect(await decide(unscopedVitalsWrite, admin)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets everyone read a published postmortem, and a draft only its owning team and its authors (and admins)', async () => {
    expect(await decide(postmortemReadPermission, member)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'postmortems',
      resourceType: 'postmortem',
      conditions: {
        anyOf: [
          { rule: 'IS_PUBLISHED', resourceType: 'postmortem', params: {} },
          {
            rule: 'IS_AUTHOR',
            resourceType: 'postmortem',
            params: {
              claims: ['user:default/guest', 'group:default/payments'],
            },
          },
          {
            rule: 'IS_OWNED_BY',
            resourceType: 'postmortem',
            params: {
              claims: ['user:default/guest', 'group:default/payments'],
            },
          },
        ],
      },
    });
    expect(await decide(postmortemReadPermission, admin)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(postmortemReadPermission, undefined)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("decides starting and editing postmortems by the affected entity's ownership", async () => {
    for (const permission of [
      postmortemCreatePermission,
      postmortemUpdatePermission,
    ]) {
      expect(await decide(permission, member)).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          anyOf: [{ rule: 'IS_ENTITY_OWNER' }, { rule: 'IS_CLAIMED_ENTITY' }],
        },
      });
    }
  });

  it("lets a team's members and admins manage its goals, and admins alone org goals and campaigns", async () => {
    const teamGoal = createPermission({
      name: 'goals.team-goal.manage',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
    expect(await decide(teamGoal, member)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        anyOf: [
          { rule: 'IS_ENTITY_OWNER' },
          {
            rule: 'IS_CLAIMED_ENTITY',
            params: {
              claims: ['user:default/guest', 'group:default/payments'],
            },
          },
        ],
      },
    });
    expect(await decide(teamGoal, admin)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(teamGoal, undefined)).toEqual({
      result: AuthorizeResult.DENY,
    });
    for (const name of [
      'goals.org-goal.manage',
      'goals.campaign.create',
      'goals.campaign.update',
    ]) {
      const permission = createPermission({
        name,
        attributes: { action: 'update' },
      });
      expect({
        name,
        result: (await decide(permission, member)).result,
      }).toEqual({ name, result: AuthorizeResult.DENY });
      expect({
        name,
        result: (await decide(permission, admin)).result,
      }).toEqual({ name, result: AuthorizeResult.ALLOW });
    }
  });

  it('lets admins alone change the scorecard definitions (promote a check), whatever the team', async () => {
    const definitionUpdate = createPermission({
      name: 'scorecards.definition.update',
      attributes: { action: 'update' },
    });
    expect(await decide(definitionUpdate, admin)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(definitionUpdate, member)).toEqual({
      result: AuthorizeResult.DENY,
    });
    const platformOwner = userWith(
      'user:default/sam',
      'group:default/platform-tools',
    );
    expect(await decide(definitionUpdate, platformOwner)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(definitionUpdate, undefined)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
