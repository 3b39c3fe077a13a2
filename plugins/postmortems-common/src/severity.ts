/**
 * The severity levels Vitals knows unless configured (`postmortems.severityLevels`), most severe first. Each level
 * lists the names senders use for it: DORA stores an incident's severity as sent (PagerDuty's priority or urgency, a
 * `SEV1` from an incident tool, a label), so one level has several spellings. Compared case-insensitively.
 *
 * @public
 */
export const DEFAULT_SEVERITY_LEVELS: readonly (readonly string[])[] = [
  ['SEV1', 'P1', 'critical'],
  ['SEV2', 'P2', 'high'],
  ['SEV3', 'P3', 'medium', 'moderate'],
  ['SEV4', 'P4', 'low'],
  ['SEV5', 'P5', 'info'],
];

/** The level at or above which an incident needs a published postmortem, unless configured. @public */
export const DEFAULT_MINIMUM_SEVERITY = 'SEV2';

/** How a severity is compared: trimmed and lower-cased. @public */
export function severityKey(
  severity: string | null | undefined,
): string | null {
  const key = severity?.trim().toLocaleLowerCase('en-US');
  return key ? key : null;
}

/**
 * The severity names (as {@link severityKey}s) of the levels at or above `minimum`: the incidents that need a
 * published postmortem. Throws when `minimum` names no level, or a name is used by two levels.
 *
 * @public
 */
export function qualifyingSeverityKeys(
  levels: readonly (readonly string[])[],
  minimum: string,
): string[] {
  const seen = new Map<string, number>();
  levels.forEach((names, index) => {
    for (const name of names) {
      const key = severityKey(name);
      if (!key)
        throw new Error(`severity level ${index + 1} has an empty name`);
      const other = seen.get(key);
      if (other !== undefined && other !== index) {
        throw new Error(
          `the severity '${name}' is in levels ${other + 1} and ${index + 1}`,
        );
      }
      seen.set(key, index);
    }
  });
  const minimumIndex = seen.get(severityKey(minimum) ?? '');
  if (minimumIndex === undefined) {
    throw new Error(
      `the minimum severity '${minimum}' is none of the levels (${levels
        .map(l => l.join('/'))
        .join(', ')})`,
    );
  }
  return [...seen.entries()]
    .filter(([, index]) => index <= minimumIndex)
    .sort((a, b) => a[1] - b[1])
    .map(([key]) => key);
}

/**
 * Whether an incident of this severity needs a published postmortem: its severity is one of `qualifyingKeys` (see
 * {@link qualifyingSeverityKeys}). An incident without a severity qualifies only when `unknownQualifies`.
 *
 * @public
 */
export function isQualifyingSeverity(
  severity: string | null | undefined,
  qualifyingKeys: readonly string[],
  unknownQualifies = false,
): boolean {
  const key = severityKey(severity);
  if (key === null) return unknownQualifies;
  return qualifyingKeys.includes(key);
}
