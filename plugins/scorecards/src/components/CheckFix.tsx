import { Link, MarkdownContent } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type {
  CheckResult,
  ScorecardCheck,
} from '@vitals/plugin-scorecards-common';
import { failureMessage, staleLabel } from './format';

/** A failing check: why it fails and what to do about it (the definition's Markdown and links). */
export function CheckFix(props: {
  check: ScorecardCheck;
  outcome: CheckResult;
}) {
  const { check, outcome } = props;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        <strong>{check.title}</strong>
        {outcome.message && (
          <Typography component="span" variant="caption" color="textSecondary">
            {' '}
            ({failureMessage(check, outcome)})
          </Typography>
        )}
        {outcome.stale && (
          <Typography component="span" variant="caption" color="error">
            {' '}
            — last known outcome, {staleLabel(outcome.stale)}
          </Typography>
        )}
      </Typography>
      {check.howToFix && (
        <MarkdownContent content={check.howToFix} dialect="gfm" />
      )}
      {check.links && check.links.length > 0 && (
        <Typography variant="caption" component="div">
          {check.links.map((link, i) => (
            <span key={link.url}>
              {i > 0 && ' · '}
              <Link to={link.url}>{link.title}</Link>
            </span>
          ))}
        </Typography>
      )}
    </Box>
  );
}
