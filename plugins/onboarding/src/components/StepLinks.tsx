import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Typography } from '@material-ui/core';
import type { StepLink } from '@vitals/plugin-onboarding-common';
import { MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { entityRefOfDocsUrl } from './format';

const LINK_TYPE_LABELS: Record<NonNullable<StepLink['type']>, string> = {
  docs: 'docs',
  techdocs: 'TechDocs',
  runbook: 'runbook',
  repo: 'repository',
  other: 'link',
};

/** How long a docs link waits for the visit report before navigating anyway. */
const REPORT_WAIT_MS = 1500;

function isInternal(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}

/**
 * The links of a step. Opening a docs or TechDocs link reports a docs visit of the step's entity (or the checklist's,
 * or the one the TechDocs URL names) first, which is what completes "open the docs" steps.
 */
export function StepLinks(props: {
  links: StepLink[];
  /** The entity the step or its checklist is about, if any. */
  entityRef?: string;
  /** Called once a visit has been reported, so the caller can show steps it completed. */
  onVisited?: () => void;
}) {
  const api = useApi(onboardingApiRef);
  const navigate = useNavigate();
  if (props.links.length === 0) return null;

  const report = async (entityRef: string) => {
    try {
      await api.reportVisit({ entityRef, kind: 'docs' });
      props.onVisited?.();
    } catch {
      // A lost visit report only delays a docs-visit step; the user still gets to the docs.
    }
  };

  const onClick =
    (link: StepLink) => async (event: MouseEvent<HTMLAnchorElement>) => {
      if (link.type !== 'docs' && link.type !== 'techdocs') return;
      const entityRef = props.entityRef ?? entityRefOfDocsUrl(link.url);
      if (!entityRef) return;
      const newTab =
        !isInternal(link.url) ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.button !== 0;
      if (newTab) {
        // This page stays open, so the report can finish on its own.
        void report(entityRef);
        return;
      }
      event.preventDefault();
      await Promise.race([
        report(entityRef),
        new Promise(resolve => setTimeout(resolve, REPORT_WAIT_MS)),
      ]);
      navigate(link.url);
    };

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 16 }}
      mt={0.5}
      component="ul"
      p={0}
      m={0}
      aria-label="Links"
    >
      {props.links.map(link => (
        <Typography
          key={`${link.url}-${link.title}`}
          variant="body2"
          component="li"
          style={{ listStyle: 'none' }}
        >
          <Link to={link.url} onClick={onClick(link)}>
            {link.title}
          </Link>
          {link.type && (
            <Typography
              variant="caption"
              color="textSecondary"
              component="span"
            >
              {' '}
              ({LINK_TYPE_LABELS[link.type] ?? link.type})
            </Typography>
          )}
        </Typography>
      ))}
    </Box>
  );
}
