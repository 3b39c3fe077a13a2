import { Chip, Tooltip } from '@material-ui/core';
import { DoraTier } from '@vitals/plugin-dora-common';
import { NO_TIER_LABEL, tierLabel, UNTIERED_LABEL } from './format';
import { NO_TIER_REASON } from './metricFigures';

/** Background colours per tier: green for elite through red for low; each keeps white text readable (WCAG AA). */
export const TIER_COLORS: Record<DoraTier, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#b45309',
  low: '#b71c1c',
};

const TIER_HELP: Record<DoraTier, string> = {
  elite: 'Elite performer for this benchmark',
  high: 'High performer for this benchmark',
  medium: 'Medium performer for this benchmark',
  low: 'Low performer for this benchmark',
};

/**
 * A colour-coded tier badge; a null tier (too few events to judge) reads "Not enough data", and `'none'` (a metric no
 * benchmark tiers: the rework rate) reads "No tier".
 */
export function TierChip({
  tier,
  metric,
}: {
  tier: DoraTier | null | 'none';
  metric?: string;
}) {
  const ariaLabel = (label: string) =>
    metric ? `${metric} tier: ${label}` : undefined;
  if (tier === 'none') {
    return (
      <Tooltip title={NO_TIER_REASON}>
        <Chip
          size="small"
          variant="outlined"
          label={UNTIERED_LABEL}
          aria-label={ariaLabel(UNTIERED_LABEL)}
        />
      </Tooltip>
    );
  }
  const label = tierLabel(tier);
  const chip = tier ? (
    <Chip
      size="small"
      label={label}
      aria-label={ariaLabel(label)}
      style={{
        backgroundColor: TIER_COLORS[tier],
        color: '#fff',
        fontWeight: 600,
      }}
    />
  ) : (
    <Chip
      size="small"
      variant="outlined"
      label={NO_TIER_LABEL}
      aria-label={ariaLabel(NO_TIER_LABEL)}
    />
  );
  return (
    <Tooltip
      title={
        tier
          ? TIER_HELP[tier]
          : 'Too few events in this window to place it in a tier'
      }
    >
      {chip}
    </Tooltip>
  );
}
