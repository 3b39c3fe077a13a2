import { Box, Typography } from '@material-ui/core';
import { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * The frame of a recharts chart: a labelled figure (so that screen readers and tests find it by name) holding the
 * chart at the full width of its parent and a fixed height — or, when there is nothing to plot, a message that says so
 * in its place.
 *
 * @public
 */
export function ChartFrame(props: {
  /** The accessible name of the figure. */
  label: string;
  height: number;
  /** A chart from recharts; ResponsiveContainer gives it its width and height. */
  children: ReactElement;
  /** False when there is nothing to plot: emptyMessage is shown instead of the chart. Defaults to true. */
  hasData?: boolean;
  emptyMessage?: ReactNode;
  /** The height of the empty message's box; defaults to the chart's height. */
  emptyHeight?: number;
  /** `img` for a chart that is a picture only, whose figures are not shown as text elsewhere. Defaults to `figure`. */
  role?: 'figure' | 'img';
}) {
  const hasData = props.hasData ?? true;
  return (
    <div role={props.role ?? 'figure'} aria-label={props.label}>
      {hasData ? (
        <ResponsiveContainer width="100%" height={props.height}>
          {props.children}
        </ResponsiveContainer>
      ) : (
        <Box
          height={props.emptyHeight ?? props.height}
          display="flex"
          alignItems="center"
          justifyContent="center"
        >
          <Typography color="textSecondary">{props.emptyMessage}</Typography>
        </Box>
      )}
    </div>
  );
}
