import {
  BlamelessWarning,
  BlamelessWarningKind,
  POSTMORTEM_TEXT_SECTIONS,
  PostmortemTemplateSection,
  TIMELINE_SECTION,
  TimelineEntry,
} from './types';

/**
 * A person whose name should not appear where a postmortem explains why something happened: typically a catalog
 * User's `metadata.name` (`maria.santos`) and `spec.profile.displayName` (`Maria Santos`).
 *
 * @public
 */
export interface BlamelessPerson {
  /** The user entity's name, e.g. `maria.santos`; also matched with its dots, dashes and underscores read as spaces. */
  name?: string;
  /** e.g. `Maria Santos`; the whole name is matched, and the first name alone when it is written with a capital. */
  displayName?: string;
}

const LETTER = '[\\p{L}\\p{N}_]';
const BEFORE = `(?<!${LETTER})`;
const AFTER = `(?!${LETTER})`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A phrase as a pattern: any run of white space between its words. */
const phrase = (text: string) =>
  text.trim().split(/\s+/).map(escape).join('\\s+');

const MESSAGES: Record<BlamelessWarningKind, (match: string) => string> = {
  person: match =>
    `"${match}" names a person. Describe what the system or the process allowed, and the role someone was in (e.g. "the on-call engineer"), not who it was.`,
  handle: match =>
    `"${match}" is somebody's handle. Say which role acted and what they knew at the time, not who it was.`,
  pronoun: match =>
    `"${match}" points at a person. Describe the conditions that made the action reasonable at the time, not what somebody did wrong.`,
  blame: match =>
    `"${match}" assigns blame. Ask what made the failure possible and how the system can make it hard to repeat.`,
};

/** Handles such as `@maria` or `@maria.santos`, but not e-mail addresses (`maria@example.com`). */
const HANDLE = new RegExp(
  `(?<![\\p{L}\\p{N}_.@-])@[\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_.-]*[\\p{L}\\p{N}_])?`,
  'gu',
);

/** Personal pronouns: in a contributing factor they point at a person, not at the system. */
const PRONOUN = new RegExp(
  `${BEFORE}(?:he|she|him|his|her|hers)${AFTER}`,
  'giu',
);

/** Words that assign blame rather than look for causes. */
const BLAME = new RegExp(
  `${BEFORE}(?:${[
    'human error',
    'should have known',
    'should have',
    "shouldn't have",
    'careless(?:ly|ness)?',
    'negligen(?:t|ce)',
    'at fault',
    'fault of',
    'blamed?',
    'forgot to',
    'failed to notice',
    "didn't bother",
  ]
    .map(p => p.replace(/ /g, '\\s+'))
    .join('|')})${AFTER}`,
  'giu',
);

interface Found {
  kind: BlamelessWarningKind;
  start: number;
  end: number;
}

/** The patterns of the people's names: whole names case-insensitively, first names only when capitalised. */
function namePatterns(people: readonly BlamelessPerson[]): RegExp[] {
  const insensitive = new Set<string>();
  const capitalised = new Set<string>();
  for (const person of people) {
    const display = person.displayName?.trim();
    if (display && display.length >= 2) {
      insensitive.add(phrase(display));
      const [first, ...rest] = display.split(/\s+/);
      if (rest.length && first.length >= 3 && /^\p{Lu}/u.test(first)) {
        capitalised.add(escape(first));
      }
    }
    const name = person.name?.trim();
    if (name && name.length >= 3) {
      insensitive.add(escape(name));
      const spaced = name.replace(/[._-]+/g, ' ').trim();
      if (spaced !== name && spaced.length >= 3)
        insensitive.add(phrase(spaced));
    }
  }
  const patterns: RegExp[] = [];
  // Longest first, so that "Maria Santos" wins over "Maria" where both match.
  const sortByLength = (a: string, b: string) => b.length - a.length;
  if (insensitive.size) {
    patterns.push(
      new RegExp(
        `${BEFORE}(?:${[...insensitive].sort(sortByLength).join('|')})${AFTER}`,
        'giu',
      ),
    );
  }
  if (capitalised.size) {
    patterns.push(
      new RegExp(
        `${BEFORE}(?:${[...capitalised].sort(sortByLength).join('|')})${AFTER}`,
        'gu',
      ),
    );
  }
  return patterns;
}

function matchesOf(
  pattern: RegExp,
  text: string,
  kind: BlamelessWarningKind,
): Found[] {
  return [...text.matchAll(pattern)].map(m => ({
    kind,
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * Where a text points at people instead of the system: names of the given people, `@handles`, personal pronouns
 * ("he did", "her change") and words of blame ("human error", "should have"). Warnings, for the writer to reconsider —
 * never a reason to refuse a text. Overlapping finds are reported once (the longest, a name before a pronoun).
 *
 * @public
 */
export function checkBlamelessWording(
  text: string,
  options: {
    section: string;
    entry?: number;
    people?: readonly BlamelessPerson[];
  },
): BlamelessWarning[] {
  if (!text) return [];
  const found: Found[] = [
    ...namePatterns(options.people ?? []).flatMap(p =>
      matchesOf(p, text, 'person'),
    ),
    ...matchesOf(HANDLE, text, 'handle'),
    ...matchesOf(PRONOUN, text, 'pronoun'),
    ...matchesOf(BLAME, text, 'blame'),
  ];
  const rank: Record<BlamelessWarningKind, number> = {
    person: 0,
    handle: 1,
    blame: 2,
    pronoun: 3,
  };
  found.sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      rank[a.kind] - rank[b.kind] ||
      a.start - b.start,
  );
  const kept: Found[] = [];
  for (const f of found) {
    if (kept.some(k => f.start < k.end && k.start < f.end)) continue;
    kept.push(f);
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.map(f => {
    const match = text.slice(f.start, f.end);
    return {
      section: options.section,
      ...(options.entry !== undefined ? { entry: options.entry } : {}),
      kind: f.kind,
      match,
      start: f.start,
      end: f.end,
      message: MESSAGES[f.kind](match),
    };
  });
}

/** The sections of a postmortem the check reads. @public */
export type PostmortemTexts = Partial<
  Record<(typeof POSTMORTEM_TEXT_SECTIONS)[number], string>
> & {
  timeline?: TimelineEntry[];
  extraSections?: Record<string, string>;
};

/**
 * {@link checkBlamelessWording} over every section of a postmortem that its template checks (`blamelessCheck`; by
 * default the contributing factors), in the template's order; for the timeline, entry by entry.
 *
 * @public
 */
export function checkPostmortemWording(
  postmortem: PostmortemTexts,
  sections: readonly Pick<PostmortemTemplateSection, 'id' | 'blamelessCheck'>[],
  people: readonly BlamelessPerson[] = [],
): BlamelessWarning[] {
  const warnings: BlamelessWarning[] = [];
  for (const section of sections) {
    if (!section.blamelessCheck) continue;
    if (section.id === TIMELINE_SECTION) {
      (postmortem.timeline ?? []).forEach((entry, index) =>
        warnings.push(
          ...checkBlamelessWording(entry.text, {
            section: section.id,
            entry: index,
            people,
          }),
        ),
      );
      continue;
    }
    const text = (POSTMORTEM_TEXT_SECTIONS as readonly string[]).includes(
      section.id,
    )
      ? postmortem[section.id as (typeof POSTMORTEM_TEXT_SECTIONS)[number]]
      : postmortem.extraSections?.[section.id];
    warnings.push(
      ...checkBlamelessWording(text ?? '', { section: section.id, people }),
    );
  }
  return warnings;
}
