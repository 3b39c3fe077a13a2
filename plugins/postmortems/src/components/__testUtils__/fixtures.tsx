import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ActionItem,
  IncidentWithPostmortem,
  Postmortem,
  PostmortemDetail,
  PostmortemIncident,
  PostmortemsApi,
  PostmortemTemplateList,
} from '@vitals/plugin-postmortems-common';
import { ReactElement } from 'react';
import { postmortemsApiRef } from '../../api/postmortemsApiRef';

export const ENTITY_REF = 'component:default/payments-api';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

/** A member of Payments, whose names the blameless check looks for. */
export const mariaSantos: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'maria.santos', namespace: 'default' },
  spec: {
    profile: { displayName: 'Maria Santos' },
    memberOf: ['group:default/payments'],
  },
  relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
};

export const jonasBerg: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jonas.berg', namespace: 'default' },
  spec: { profile: { displayName: 'Jonas Berg' } },
};

export const POSTMORTEM_ID = '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11';
export const DEBT_ITEM_ID = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';

export function makeIncident(
  overrides: Partial<PostmortemIncident> = {},
): PostmortemIncident {
  return {
    id: 'pagerduty:PGR0VU2',
    entityRef: ENTITY_REF,
    ownerRef: 'group:default/payments',
    createdAt: '2026-11-25T12:00:00.000Z',
    resolvedAt: '2026-11-25T13:15:00.000Z',
    severity: 'SEV2',
    url: 'https://example-corp.pagerduty.com/incidents/PGR0VU2',
    deploymentId: 'gha-run-88213',
    restoreMinutes: 75,
    qualifying: true,
    postmortemDueAt: '2026-11-30T12:00:00.000Z',
    ...overrides,
  };
}

export function makePostmortem(
  overrides: Partial<Postmortem> = {},
): Postmortem {
  return {
    id: POSTMORTEM_ID,
    incidentId: 'pagerduty:PGR0VU2',
    entityRef: ENTITY_REF,
    ownerRef: 'group:default/payments',
    title: 'Card payments failed after the ledger schema change',
    status: 'draft',
    authors: ['user:default/jonas.berg'],
    templateId: 'blameless',
    version: 3,
    createdAt: '2026-11-26T09:00:00.000Z',
    createdBy: 'user:default/jonas.berg',
    updatedAt: '2026-11-27T16:20:00.000Z',
    updatedBy: 'user:default/jonas.berg',
    publishedAt: null,
    actionItemCount: 0,
    incident: makeIncident(),
    summary: 'Card payments failed for 75 minutes.',
    customerImpact: 'About 4% of card payments failed.',
    timeline: [
      {
        at: '2026-11-25T11:07:30.000Z',
        text: 'The ledger migration reaches production.',
      },
      {
        at: '2026-11-25T12:00:00.000Z',
        text: 'The payment error-rate alert fires.',
      },
    ],
    contributingFactors: 'The migration tool takes a table lock by default.',
    whatWentWell: 'The alert fired within five minutes.',
    whatWasHard: 'The lock did not show in any dashboard.',
    lessons: 'Schema changes of hot tables need an online migration.',
    extraSections: {},
    warnings: [],
    ...overrides,
  };
}

export function makeActionItem(
  overrides: Partial<ActionItem> = {},
): ActionItem {
  return {
    postmortemId: POSTMORTEM_ID,
    debtItemId: DEBT_ITEM_ID,
    origin: 'created',
    dueDate: '2026-12-31',
    addedAt: '2026-11-28T16:00:00.000Z',
    addedBy: 'user:default/guest',
    debt: {
      title: 'Check migrations for table locks in CI',
      status: 'in_progress',
      entityRef: ENTITY_REF,
      ownerRef: 'group:default/payments',
      assignee: 'user:default/jonas.berg',
    },
    debtCheckedAt: '2026-12-01T10:00:00.000Z',
    open: true,
    overdue: false,
    ...overrides,
  };
}

export function makeDetail(
  overrides: Partial<PostmortemDetail> = {},
): PostmortemDetail {
  return {
    postmortem: makePostmortem(),
    actionItems: [],
    changes: [
      {
        id: 'github:acme/payments-api#412',
        sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
        url: 'https://github.com/acme/payments-api/pull/412',
        author: 'user:default/guest',
        mergedAt: '2026-11-25T10:30:00.000Z',
        deployedAt: '2026-11-25T11:07:30.000Z',
      },
    ],
    canEdit: true,
    ...overrides,
  };
}

const section = (
  id: string,
  title: string,
  extra: {
    kind?: 'text' | 'timeline';
    required?: boolean;
    blamelessCheck?: boolean;
  } = {},
) => ({
  id,
  title,
  prompt: `What to write in ${title.toLocaleLowerCase('en-US')}.`,
  kind: extra.kind ?? ('text' as const),
  required: extra.required ?? false,
  blamelessCheck: extra.blamelessCheck ?? false,
});

export const templates: PostmortemTemplateList = {
  defaultTemplateId: 'blameless',
  problems: [],
  templates: [
    {
      id: 'blameless',
      title: 'Blameless postmortem',
      description: 'Learn from the incident.',
      source: 'built-in',
      sections: [
        section('summary', 'Summary', { required: true }),
        section('customerImpact', 'Customer impact'),
        section('timeline', 'Timeline', { kind: 'timeline', required: true }),
        section('contributingFactors', 'Contributing factors', {
          required: true,
          blamelessCheck: true,
        }),
        section('whatWentWell', 'What went well'),
        section('whatWasHard', 'What was hard'),
        section('lessons', 'Lessons'),
      ],
    },
  ],
};

export function incidentRow(
  incident: Partial<PostmortemIncident>,
  postmortem: IncidentWithPostmortem['postmortem'] = null,
): IncidentWithPostmortem {
  return { incident: makeIncident(incident), postmortem };
}

export function fakeApi(
  overrides: Partial<PostmortemsApi> = {},
): jest.Mocked<PostmortemsApi> {
  return {
    listTemplates: jest.fn().mockResolvedValue(templates),
    listIncidents: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listPostmortems: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    getPostmortem: jest.fn().mockResolvedValue(makeDetail()),
    createPostmortem: jest.fn(),
    updatePostmortem: jest.fn(),
    getHistory: jest.fn().mockResolvedValue([]),
    listActionItems: jest.fn().mockResolvedValue([]),
    createActionItem: jest.fn(),
    linkActionItem: jest.fn(),
    unlinkActionItem: jest.fn(),
    getFollowThrough: jest.fn(),
    getCoverage: jest.fn(),
    getEntityFigures: jest.fn(),
    ...overrides,
  } as jest.Mocked<PostmortemsApi>;
}

/** A failed API call as the client throws it (a Backstage ResponseError's shape). */
export function apiError(status: number, message: string): Error {
  return Object.assign(new Error(`Request failed with ${status}`), {
    name: 'ResponseError',
    response: { status },
    body: {
      error: { name: 'Error', message },
      response: { statusCode: status },
    },
  });
}

export const MOUNTED_ROUTES = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

/** Renders an element on the payments API's page, as a user the permission framework allows or denies. */
export function renderOnEntity(
  element: ReactElement,
  options: {
    api: PostmortemsApi;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    route?: string;
    extraApis?: [any, any][];
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [postmortemsApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? AuthorizeResult.ALLOW,
          }),
        ],
        [catalogApiRef, catalogApiMock({ entities: [mariaSantos, jonasBerg] })],
        ...(options.extraApis ?? []),
      ]}
    >
      <EntityProvider entity={paymentsApi}>{element}</EntityProvider>
    </TestApiProvider>,
    {
      ...MOUNTED_ROUTES,
      routeEntries: options.route ? [options.route] : undefined,
    },
  );
}
