import { Content, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Tab, Tabs } from '@material-ui/core';
import { Link as RouterLink, useLocation } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { MyOnboarding } from './MyOnboarding';
import { OrgOnboardingReport } from './OrgOnboardingReport';
import { TemplatesView } from './TemplatesView';

type TabId = 'mine' | 'teams' | 'templates';

/** The page's own path and the tab the URL names: `/onboarding`, `/onboarding/teams`, `/onboarding/templates`. */
function useTabLocation(): { base: string; tab: TabId } {
  const path = useLocation().pathname.replace(/\/+$/, '');
  const match = /^(.*)\/(teams|templates)$/.exec(path);
  if (match) return { base: match[1], tab: match[2] as TabId };
  return { base: path, tab: 'mine' };
}

/**
 * The onboarding page: the caller's checklists, the org report (teams and time to first value by cohort), and the
 * templates with their validation problems.
 */
export function OnboardingPage() {
  const api = useApi(onboardingApiRef);
  const { base, tab } = useTabLocation();
  // Loaded for the whole page so that the tab label can point platform engineers at broken templates.
  const templates = useAsyncRetry(() => api.getTemplates(), [api]);
  const problems = templates.value?.problems.length ?? 0;

  return (
    <Page themeId="tool">
      <Header
        title="Onboarding"
        subtitle="Your checklists, and how quickly new people get going in every team"
      />
      <Content>
        <Box mb={3}>
          <Tabs
            value={tab}
            indicatorColor="primary"
            textColor="primary"
            aria-label="Onboarding views"
          >
            <Tab
              value="mine"
              label="My onboarding"
              component={RouterLink}
              to={base || '/'}
            />
            <Tab
              value="teams"
              label="Teams"
              component={RouterLink}
              to={`${base}/teams`}
            />
            <Tab
              value="templates"
              label={
                problems > 0
                  ? `Templates (${problems} ${
                      problems === 1 ? 'problem' : 'problems'
                    })`
                  : 'Templates'
              }
              component={RouterLink}
              to={`${base}/templates`}
            />
          </Tabs>
        </Box>
        {tab === 'mine' && <MyOnboarding templatesLink={`${base}/templates`} />}
        {tab === 'teams' && <OrgOnboardingReport />}
        {tab === 'templates' && <TemplatesView templates={templates} />}
      </Content>
    </Page>
  );
}
