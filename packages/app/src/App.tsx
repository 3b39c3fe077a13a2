import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import techDebtPlugin from '@vitals/plugin-tech-debt/alpha';
import doraPlugin from '@vitals/plugin-dora/alpha';
import ownershipPlugin from '@vitals/plugin-ownership/alpha';
import scorecardsPlugin from '@vitals/plugin-scorecards/alpha';
import onboardingPlugin from '@vitals/plugin-onboarding/alpha';
import goalsPlugin from '@vitals/plugin-goals/alpha';
import postmortemsPlugin from '@vitals/plugin-postmortems/alpha';
import { incidentPostmortemsModule } from './modules/incidentPostmortems';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    techDebtPlugin,
    doraPlugin,
    ownershipPlugin,
    scorecardsPlugin,
    onboardingPlugin,
    goalsPlugin,
    postmortemsPlugin,
    incidentPostmortemsModule,
    navModule,
  ],
});
