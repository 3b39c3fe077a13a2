import { Typography } from '@material-ui/core';

/** What an entity without results sees: either no scorecard applies, or the evaluation has not reached it yet. */
export function ScorecardsEmptyState(props: { applies: boolean }) {
  return props.applies ? (
    <Typography>
      Not evaluated yet — press Refresh to evaluate this entity now, or wait for
      the next scheduled evaluation.
    </Typography>
  ) : (
    <Typography>
      No scorecard applies to this entity. Scorecards are chosen by kind, type,
      lifecycle, tags and system.
    </Typography>
  );
}
