import { Box, ButtonBase, Typography } from '@material-ui/core';
import { ReactNode } from 'react';

/**
 * A headline figure with what it is made of, in a bordered region named by its title. With `onSelect` the whole tile is
 * a button (named by `action`) that lists what is behind the figure; the chosen one is outlined.
 */
export function FigureTile(props: {
  title: string;
  headline: string;
  lines: string[];
  /** The accessible name of the button that lists what is behind the figure. */
  action?: string;
  selected?: boolean;
  onSelect?: () => void;
}) {
  const body: ReactNode = (
    <Box p={1.5} width="100%" textAlign="left">
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      <Typography variant="h5" component="p">
        {props.headline}
      </Typography>
      {props.lines.map((line, index) => (
        <Typography
          key={index}
          variant="caption"
          color="textSecondary"
          component="p"
        >
          {line}
        </Typography>
      ))}
    </Box>
  );
  return (
    <Box
      component="section"
      aria-label={props.title}
      border={props.selected ? 2 : 1}
      borderColor={props.selected ? 'primary.main' : 'divider'}
      borderRadius={4}
      height="100%"
      display="flex"
    >
      {props.onSelect ? (
        <ButtonBase
          onClick={props.onSelect}
          aria-label={props.action}
          aria-pressed={!!props.selected}
          style={{ width: '100%', alignItems: 'flex-start' }}
          focusRipple
        >
          {body}
        </ButtonBase>
      ) : (
        body
      )}
    </Box>
  );
}
