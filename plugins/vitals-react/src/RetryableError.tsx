import { ErrorPanel } from '@backstage/core-components';
import { Box, Button } from '@material-ui/core';

/**
 * What a page or card shows when its data could not be loaded: Backstage's error panel with the error, and a
 * "Try again" button under it that loads again.
 *
 * @public
 */
export function RetryableError(props: {
  /** What could not be loaded, e.g. "Could not load the campaign". */
  title: string;
  error: Error;
  onRetry: () => void;
}) {
  return (
    <>
      <ErrorPanel title={props.title} error={props.error} />
      <Box mt={1}>
        <Button variant="outlined" onClick={props.onRetry}>
          Try again
        </Button>
      </Box>
    </>
  );
}
