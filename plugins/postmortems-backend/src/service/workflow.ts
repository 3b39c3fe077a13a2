import { InputError } from '@backstage/errors';
import {
  POSTMORTEM_STATUS_LABELS,
  POSTMORTEM_TEXT_SECTIONS,
  POSTMORTEM_TRANSITIONS,
  PostmortemStatus,
  PostmortemTemplate,
  TIMELINE_SECTION,
} from '@vitals/plugin-postmortems-common';
import { PostmortemSections } from '../database/PostmortemsStore';

/** Refuses a status change the workflow does not allow (a 400 naming `status`). */
export function checkStatusChange(
  from: PostmortemStatus,
  to: PostmortemStatus,
): void {
  if (from === to || POSTMORTEM_TRANSITIONS[from].includes(to)) return;
  const label = (s: PostmortemStatus) =>
    POSTMORTEM_STATUS_LABELS[s].toLocaleLowerCase('en-US');
  let hint = '';
  if (from === 'draft' && to === 'published')
    hint = '; send it to review first';
  if (from === 'published')
    hint =
      '; a published postmortem stays published (it can still be corrected)';
  throw new InputError(
    `Invalid postmortem update: status: a postmortem in ${label(
      from,
    )} cannot go to ${label(to)}${hint}`,
  );
}

/** The sections the template requires that are empty in this content. */
export function emptyRequiredSections(
  template: PostmortemTemplate,
  content: PostmortemSections,
): string[] {
  return template.sections
    .filter(section => section.required)
    .filter(section => {
      if (section.id === TIMELINE_SECTION) return content.timeline.length === 0;
      const text = (POSTMORTEM_TEXT_SECTIONS as readonly string[]).includes(
        section.id,
      )
        ? content[section.id as (typeof POSTMORTEM_TEXT_SECTIONS)[number]]
        : content.extraSections[section.id];
      return !text?.trim();
    })
    .map(section => section.id);
}

/**
 * Refuses a postmortem in review or published whose required sections are not all written (a 400 naming them):
 * what goes to review must be complete, and a published one stays so.
 */
export function checkRequiredSections(
  status: PostmortemStatus,
  template: PostmortemTemplate,
  content: PostmortemSections,
): void {
  if (status === 'draft') return;
  const empty = emptyRequiredSections(template, content);
  if (empty.length === 0) return;
  throw new InputError(
    `Invalid postmortem update: ${empty.join(
      ', ',
    )}: must be written before the postmortem is ${
      status === 'published' ? 'published' : 'sent to review'
    } (the template "${template.id}" requires ${
      empty.length === 1 ? 'it' : 'them'
    })`,
  );
}
