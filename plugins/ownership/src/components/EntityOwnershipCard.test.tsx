import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OwnershipApi } from '@vitals/plugin-ownership-common';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { EntityOwnershipCard } from './EntityOwnershipCard';
import { fakeApi, makeOwnership, paymentsApi } from './testData';

/** The attack under test: a contact link that runs script when followed. */
const SCRIPT_URL = 'javascript:alert(document.cookie)'; // eslint-disable-line no-script-url

function renderCard(api: OwnershipApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [ownershipApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider entity={paymentsApi}>
        <EntityOwnershipCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityOwnershipCard', () => {
  it('shows the team, its members, contacts, on-call, each problem and the history', async () => {
    const api = fakeApi({
      getHistory: jest.fn().mockResolvedValue([
        {
          id: 2,
          entityRef: 'component:default/payments-api',
          type: 'owner-changed',
          fromOwnerRef: 'group:default/data',
          toOwnerRef: 'group:default/payments',
          actor: 'system:snapshot',
          at: '2026-08-01T10:00:00Z',
          comment: null,
        },
        {
          id: 1,
          entityRef: 'component:default/payments-api',
          type: 'first-seen',
          fromOwnerRef: null,
          toOwnerRef: 'group:default/data',
          actor: 'system:snapshot',
          at: '2025-10-01T10:00:00Z',
          comment: null,
        },
      ]),
    });
    await renderCard(api);
    expect(await screen.findByLabelText('Ownership verdict')).toHaveTextContent(
      '1 problem',
    );
    expect(screen.getByLabelText('Members')).toHaveTextContent(
      'Amira Haddad, Guest, Jonas Berg',
    );
    expect(screen.getByRole('list', { name: 'Contacts' })).toHaveTextContent(
      '#payments-api',
    );
    expect(screen.getByRole('list', { name: 'On-call' })).toHaveTextContent(
      'PagerDuty PPAYAPI',
    );
    expect(
      screen.getByRole('list', { name: 'Ownership problems' }),
    ).toHaveTextContent(
      'Payments (group:default/payments) has never confirmed that it owns this.',
    );
    expect(screen.getByLabelText('Confirmation')).toHaveTextContent(
      'Ownership has never been confirmed',
    );
    expect(
      await screen.findByRole('list', { name: 'Ownership history' }),
    ).toHaveTextContent(
      /Owner changed from data to payments.*First seen, owned by data/,
    );
  });

  it('lets a member confirm ownership and shows the new state', async () => {
    const api = fakeApi();
    api.confirmOwnership.mockImplementation(async () => {
      api.getEntityOwnership.mockResolvedValue(
        makeOwnership({
          healthy: true,
          problems: [],
          confirmation: {
            status: 'current',
            lastConfirmedAt: '2026-11-26T10:00:00Z',
            lastConfirmedBy: 'user:default/guest',
            dueAt: '2027-05-25T10:00:00Z',
            periodDays: 180,
          },
        }),
      );
      return {
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        confirmedBy: 'user:default/guest',
        confirmedAt: '2026-11-26T10:00:00Z',
        comment: null,
      };
    });
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm ownership' }),
    );
    expect(api.confirmOwnership).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Ownership verdict')).toHaveTextContent(
        'Healthy',
      ),
    );
    expect(screen.getByLabelText('Confirmation')).toHaveTextContent(
      /Last confirmed .* by guest · next due/,
    );
    expect(api.getHistory).toHaveBeenCalledTimes(2);
  });

  it('says what is wrong when the owner does not exist, and offers no confirmation', async () => {
    await renderCard(
      fakeApi({
        getEntityOwnership: jest.fn().mockResolvedValue(
          makeOwnership({
            ownerRef: 'group:default/growth',
            owner: {
              ref: 'group:default/growth',
              kind: 'group',
              exists: false,
              title: null,
              memberCount: 0,
              members: [],
              parent: null,
            },
            problems: [
              {
                kind: 'owner-unresolved',
                message:
                  'The owner group:default/growth is not in the catalog: the team may have been renamed or removed.',
              },
            ],
            confirmation: {
              status: 'not-applicable',
              lastConfirmedAt: null,
              lastConfirmedBy: null,
              dueAt: null,
              periodDays: 180,
            },
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(/group:default\/growth is not in the catalog/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Nobody can confirm ownership until spec.owner names a team/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Confirm ownership' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error when ownership cannot be loaded', async () => {
    await renderCard(
      fakeApi({
        getEntityOwnership: jest.fn().mockRejectedValue(new Error('boom')),
      }),
    );
    expect(
      await screen.findByText(/Could not load ownership/),
    ).toBeInTheDocument();
  });

  it('renders a javascript: contact as plain text, never as a link, and safe ones as links', async () => {
    await renderCard(
      fakeApi({
        getEntityOwnership: jest.fn().mockResolvedValue(
          makeOwnership({
            contacts: [
              // As an older or compromised backend might send them: the card checks again.
              {
                type: 'link',
                label: 'Team chat',
                url: SCRIPT_URL,
                source: 'entity',
              },
              {
                type: 'link',
                label: 'Support',
                url: ' JavaScript:alert(1)',
                source: 'owner',
              },
              {
                type: 'email',
                label: 'payments@example.com',
                url: 'mailto:payments@example.com',
                source: 'owner',
              },
              {
                type: 'link',
                label: 'Slack app',
                url: 'slack://channel?team=T0123&id=C0123',
                source: 'entity',
              },
            ],
            onCall: [
              {
                type: 'link',
                label: 'Runbook',
                url: 'https://runbooks.example.com/payments-api',
                source: 'entity',
              },
              {
                type: 'link',
                label: 'Pager',
                url: 'data:text/html,<script>alert(1)</script>',
                source: 'entity',
              },
            ],
          }),
        ),
      }),
    );
    const contacts = await screen.findByRole('list', { name: 'Contacts' });
    expect(contacts).toHaveTextContent('Team chat');
    expect(contacts).toHaveTextContent('Support');
    const contactLinks = within(contacts).getAllByRole('link');
    expect(
      contactLinks.map(a => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['payments@example.com', 'mailto:payments@example.com'],
      ['Slack app', 'slack://channel?team=T0123&id=C0123'],
    ]);
    expect(
      within(contacts).queryByRole('link', { name: 'Team chat' }),
    ).toBeNull();

    const onCall = screen.getByRole('list', { name: 'On-call' });
    expect(onCall).toHaveTextContent('Pager');
    expect(
      within(onCall)
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual(['https://runbooks.example.com/payments-api']);
    for (const anchor of document.querySelectorAll('a[href]')) {
      expect(anchor.getAttribute('href')).not.toMatch(
        /^\s*(javascript|data):/i,
      );
    }
  });
});
