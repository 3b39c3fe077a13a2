import { Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { BlamelessWarning } from '@vitals/plugin-postmortems-common';

/**
 * Gentle hints next to a section the template checks for blameful wording: what was flagged and what to write
 * instead. They never stop a save.
 */
export function BlamelessHints(props: {
  sectionTitle: string;
  warnings: BlamelessWarning[];
  /** The section has text (an empty one gets no "looks blameless" note). */
  written: boolean;
}) {
  const { warnings, sectionTitle, written } = props;
  if (!warnings.length) {
    return written ? (
      <Typography variant="caption" color="textSecondary" component="p">
        Blameless wording: nothing flagged in{' '}
        {sectionTitle.toLocaleLowerCase('en-US')}.
      </Typography>
    ) : null;
  }
  return (
    <Alert
      severity="info"
      role="note"
      aria-label={`Blameless wording hints for ${sectionTitle}`}
      style={{ marginTop: 8 }}
    >
      <AlertTitle>
        {warnings.length === 1
          ? 'One phrase points at a person'
          : `${warnings.length} phrases point at people`}
      </AlertTitle>
      <Typography variant="body2" component="div">
        Postmortems look for what in the system made the failure possible.
        Consider rewording:
      </Typography>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {warnings.map((w, i) => (
          <li key={`${w.entry ?? ''}-${w.start}-${i}`}>
            <Typography variant="body2" component="span">
              {w.entry !== undefined ? `Entry ${w.entry + 1}: ` : ''}
              {w.message}
            </Typography>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
