import { Box, Tooltip, Typography } from '@material-ui/core';
import type {
  ScorecardDefinition,
  ScorecardSummary,
} from '@vitals/plugin-scorecards-common';
import { levelLabel } from './format';

const PALETTE = ['#cd7f32', '#a8a9ad', '#d4af37', '#4caf50', '#2196f3'];
const BELOW = '#e0e0e0';

/** Entities per level of one scorecard, lowest first, as a stacked bar with a legend that states the numbers. */
export function LevelDistribution(props: {
  definition: ScorecardDefinition | undefined;
  summary: ScorecardSummary;
}) {
  const { definition, summary } = props;
  const ordered: Array<{ levelId: string | null; colour: string }> = [
    { levelId: null, colour: BELOW },
    ...(definition?.levels ?? []).map((l, i) => ({
      levelId: l.id,
      colour: PALETTE[i % PALETTE.length],
    })),
  ];
  for (const extra of summary.levels) {
    if (!ordered.some(o => o.levelId === extra.levelId))
      ordered.push({ levelId: extra.levelId, colour: '#9e9e9e' });
  }
  const rows = ordered.map(o => {
    const count = summary.levels.find(l => l.levelId === o.levelId)?.count ?? 0;
    const share = summary.entities ? count / summary.entities : 0;
    return { ...o, label: levelLabel(definition, o.levelId), count, share };
  });
  const title = definition?.title ?? summary.scorecardId;
  return (
    <Box>
      <Box
        display="flex"
        height={20}
        borderRadius={4}
        overflow="hidden"
        aria-hidden
      >
        {rows
          .filter(r => r.count > 0)
          .map(r => (
            <Tooltip key={r.label} title={`${r.label}: ${r.count}`}>
              <Box
                style={{ width: `${r.share * 100}%`, background: r.colour }}
              />
            </Tooltip>
          ))}
      </Box>
      <Box
        component="ul"
        aria-label={`${title} level distribution`}
        display="flex"
        flexWrap="wrap"
        p={0}
        m={0}
        mt={1}
        style={{ gap: 16, listStyle: 'none' }}
      >
        {rows.map(r => (
          <li key={r.label}>
            <Box display="flex" alignItems="center" style={{ gap: 6 }}>
              <Box
                width={12}
                height={12}
                borderRadius={2}
                style={{ background: r.colour }}
              />
              <Typography variant="body2">
                {r.label}: {r.count} ({Math.round(r.share * 100)}%)
              </Typography>
            </Box>
          </li>
        ))}
      </Box>
    </Box>
  );
}
