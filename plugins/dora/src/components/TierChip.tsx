import { Chip, Tooltip } from '@material-ui/core';
import { DoraTier } from '@vitals/plugin-dora-common';
import { NO_TIER_LABEL, tierLabel } from './format';

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

/** A colour-coded tier badge; a null tier (too few events to judge) reads "Not enough data". */
export function TierChip({
  tier,
  metric,
}: {
  tier: DoraTier | null;
  metric?: string;
}) {
  const label = tierLabel(tier);
  const chip = tier ? (
    <Chip
      size="small"
      label={label}
      aria-label={metric ? `${metric} tier: ${label}` : undefined}
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
      aria-label={metric ? `${metric} tier: ${NO_TIER_LABEL}` : undefined}
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
