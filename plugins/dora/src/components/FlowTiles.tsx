import { Grid } from '@material-ui/core';
import { DORA_FLOW_PARTS, DoraFlow } from '@vitals/plugin-dora-common';
import { FigureTile as Tile } from './FigureTile';
import {
  FLOW_PART_SPANS,
  FLOW_PART_TITLES,
  FlowFilter,
  partBasis,
  partP75,
  shareOf,
} from './flowFigures';
import { formatLines, formatMinutes, formatRate } from './format';

/**
 * The four cycle-time parts (median, p75 and how many pull requests each is taken over), the pull requests merged
 * without a review and their size. Each tile lists the pull requests behind it when `onSelect` is given.
 */
export function FlowTiles({
  flow,
  selected,
  onSelect,
}: {
  flow: Pick<DoraFlow, 'parts' | 'pullRequests' | 'unreviewed' | 'size'>;
  selected?: FlowFilter;
  onSelect?: (filter: FlowFilter) => void;
}) {
  const { size } = flow;
  const select = (filter: FlowFilter) =>
    onSelect ? () => onSelect(filter) : undefined;
  return (
    <Grid container spacing={2}>
      {DORA_FLOW_PARTS.map(part => {
        const figure = flow.parts[part];
        return (
          <Grid item key={part} xs={12} sm={6} md={3}>
            <Tile
              title={FLOW_PART_TITLES[part]}
              headline={formatMinutes(figure.medianMinutes)}
              lines={[
                FLOW_PART_SPANS[part],
                partBasis(figure),
                partP75(figure),
              ]}
              action={`${FLOW_PART_TITLES[part]}: list the ${figure.pullRequests} pull requests behind it`}
              selected={selected === part}
              onSelect={select(part)}
            />
          </Grid>
        );
      })}
      <Grid item xs={12} sm={6}>
        <Tile
          title="Merged without review"
          headline={flow.unreviewed.toLocaleString('en-US')}
          lines={[
            shareOf(flow.unreviewed, flow.pullRequests, 'pull request'),
            'No review before the merge: no pickup or review time',
          ]}
          action={`Merged without review: list the ${flow.unreviewed} pull requests`}
          selected={selected === 'unreviewed'}
          onSelect={select('unreviewed')}
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <Tile
          title="Pull request size"
          headline={
            size.medianLines === null
              ? '—'
              : `${formatLines(size.medianLines)} (median)`
          }
          lines={[
            `${formatRate(size.largeShare)} large: ${
              size.large
            } over ${formatLines(size.largeThresholdLines)} changed`,
            size.measured === 0
              ? 'No pull request reported its size'
              : `Over the ${
                  size.measured
                } pull requests with a size; p75 ${formatLines(size.p75Lines)}`,
          ]}
          action={`Pull request size: list the ${size.large} large pull requests`}
          selected={selected === 'large'}
          onSelect={select('large')}
        />
      </Grid>
    </Grid>
  );
}
