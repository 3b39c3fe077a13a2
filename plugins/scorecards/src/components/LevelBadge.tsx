import { Chip } from '@material-ui/core';
import type { ScorecardDefinition } from '@vitals/plugin-scorecards-common';
import { levelLabel } from './format';

const COLOURS: Record<string, { background: string; color: string }> = {
  bronze: { background: '#cd7f32', color: '#fff' },
  silver: { background: '#a8a9ad', color: '#000' },
  gold: { background: '#d4af37', color: '#000' },
};

/** The level an entity reached on a scorecard, coloured like a medal when the level id is a medal. */
export function LevelBadge(props: {
  definition: ScorecardDefinition | undefined;
  levelId: string | null;
}) {
  const label = levelLabel(props.definition, props.levelId);
  const colours = props.levelId
    ? COLOURS[props.levelId.toLocaleLowerCase('en-US')]
    : undefined;
  return (
    <Chip
      size="small"
      label={label}
      aria-label={`${props.definition?.title ?? 'Scorecard'} level: ${label}`}
      variant={props.levelId ? 'default' : 'outlined'}
      color={props.levelId && !colours ? 'primary' : 'default'}
      style={colours ? { ...colours, fontWeight: 600 } : undefined}
    />
  );
}
