import { Chip } from '@material-ui/core';
import {
  OWNERSHIP_PROBLEM_KINDS,
  OWNERSHIP_PROBLEM_LABELS,
  OwnershipProblemKind,
  ProblemCounts,
} from '@vitals/plugin-ownership-common';

/** One chip per problem kind with its count; clicking one selects that problem. */
export function ProblemCountsList(props: {
  counts: ProblemCounts;
  selected?: OwnershipProblemKind | '';
  onSelect?: (kind: OwnershipProblemKind | '') => void;
}) {
  return (
    <div
      role="list"
      aria-label="Problem counts"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
    >
      {OWNERSHIP_PROBLEM_KINDS.map(kind => (
        <div role="listitem" key={kind}>
          <Chip
            label={`${OWNERSHIP_PROBLEM_LABELS[kind]}: ${props.counts[kind]}`}
            color={props.selected === kind ? 'primary' : 'default'}
            variant={props.counts[kind] > 0 ? 'default' : 'outlined'}
            onClick={
              props.onSelect
                ? () => props.onSelect!(props.selected === kind ? '' : kind)
                : undefined
            }
          />
        </div>
      ))}
    </div>
  );
}
