import { Box, makeStyles, Typography } from '@material-ui/core';
import type {
  HeatmapCell,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { checkTitle, refLabel } from './format';

const useStyles = makeStyles(theme => ({
  table: {
    borderCollapse: 'separate',
    borderSpacing: 2,
    fontSize: theme.typography.body2.fontSize,
  },
  rowHeader: {
    textAlign: 'left',
    paddingRight: theme.spacing(1),
    whiteSpace: 'nowrap',
    fontWeight: 'normal',
  },
  columnHeader: {
    fontWeight: 'normal',
    verticalAlign: 'bottom',
    maxWidth: 110,
    // Check titles wrap between words, never inside one ("Documentati / on").
    wordBreak: 'keep-all',
    overflowWrap: 'normal',
    padding: theme.spacing(0, 0.5),
    textAlign: 'center',
  },
  cell: {
    minWidth: 56,
    height: 32,
    textAlign: 'center',
    borderRadius: 3,
    color: '#fff',
    fontWeight: 600,
  },
  empty: {
    minWidth: 56,
    height: 32,
    textAlign: 'center',
    color: theme.palette.text.disabled,
  },
}));

/** Red at 0 % passing through amber to green at 100 %; text stays white, so lightness stays low enough to read. */
export function shareColour(share: number): string {
  return `hsl(${Math.round(share * 120)}, 65%, 38%)`;
}

/** Teams × checks of one scorecard: the share of each team's entities passing each check. */
export function Heatmap(props: {
  definition: ScorecardDefinition | undefined;
  cells: HeatmapCell[];
}) {
  const classes = useStyles();
  const { definition, cells } = props;
  const title = definition?.title ?? cells[0]?.scorecardId ?? 'Scorecard';
  const checkIds = definition
    ? definition.checks
        .map(c => c.id)
        .filter(id => cells.some(c => c.checkId === id))
    : [...new Set(cells.map(c => c.checkId))];
  const owners = [...new Set(cells.map(c => c.ownerRef))].sort((a, b) =>
    refLabel(a).localeCompare(refLabel(b)),
  );
  const byKey = new Map(cells.map(c => [`${c.ownerRef}|${c.checkId}`, c]));

  if (cells.length === 0) {
    return (
      <Typography color="textSecondary">
        No team has results for this scorecard.
      </Typography>
    );
  }
  return (
    <Box overflow="auto">
      <table
        className={classes.table}
        aria-label={`${title}: share of each team's entities passing each check`}
      >
        <thead>
          <tr>
            <th scope="col" className={classes.rowHeader}>
              Team
            </th>
            {checkIds.map(id => (
              <th key={id} scope="col" className={classes.columnHeader}>
                {checkTitle(definition, id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {owners.map(owner => (
            <tr key={owner ?? 'none'}>
              <th scope="row" className={classes.rowHeader}>
                {refLabel(owner)}
              </th>
              {checkIds.map(id => {
                const cell = byKey.get(`${owner}|${id}`);
                if (!cell) {
                  return (
                    <td
                      key={id}
                      className={classes.empty}
                      aria-label={`${refLabel(owner)}, ${checkTitle(
                        definition,
                        id,
                      )}: no entities`}
                    >
                      –
                    </td>
                  );
                }
                const percent = Math.round(cell.share * 100);
                return (
                  <td
                    key={id}
                    className={classes.cell}
                    style={{ background: shareColour(cell.share) }}
                    aria-label={`${refLabel(owner)}, ${checkTitle(
                      definition,
                      id,
                    )}: ${cell.passing} of ${
                      cell.entities
                    } passing (${percent}%)`}
                    title={`${cell.passing} of ${cell.entities} passing`}
                  >
                    {percent}%
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Box
        display="flex"
        alignItems="center"
        mt={1}
        style={{ gap: 8 }}
        aria-hidden
      >
        <Typography variant="caption">0% passing</Typography>
        <Box
          width={120}
          height={10}
          borderRadius={2}
          style={{
            background: `linear-gradient(to right, ${shareColour(
              0,
            )}, ${shareColour(0.5)}, ${shareColour(1)})`,
          }}
        />
        <Typography variant="caption">100%</Typography>
      </Box>
    </Box>
  );
}
