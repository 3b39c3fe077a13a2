import {
  BUILT_IN_SECTIONS,
  Postmortem,
  POSTMORTEM_TEXT_SECTIONS,
  PostmortemTemplate,
  PostmortemTemplateList,
  PostmortemTextSection,
  TIMELINE_SECTION,
} from '@vitals/plugin-postmortems-common';

const BUILT_IN_TITLES: Record<string, string> = {
  summary: 'Summary',
  customerImpact: 'Customer impact',
  timeline: 'Timeline',
  contributingFactors: 'Contributing factors',
  whatWentWell: 'What went well',
  whatWasHard: 'What was hard',
  lessons: 'Lessons',
};

/**
 * The built-in sections, for when the templates cannot be loaded (or a postmortem names a template that is gone): the
 * postmortem is still shown and edited section by section, with the contributing factors checked for blame.
 */
export const FALLBACK_TEMPLATE: PostmortemTemplate = {
  id: 'blameless',
  title: 'Blameless postmortem',
  description: '',
  source: 'built-in',
  sections: BUILT_IN_SECTIONS.map(id => ({
    id,
    title: BUILT_IN_TITLES[id],
    prompt: '',
    kind: id === TIMELINE_SECTION ? 'timeline' : 'text',
    required: false,
    blamelessCheck: id === 'contributingFactors',
  })),
};

/** The template a postmortem was written with, else the default one, else the built-in sections. */
export function templateOf(
  list: PostmortemTemplateList | undefined,
  templateId: string,
): PostmortemTemplate {
  return (
    list?.templates.find(t => t.id === templateId) ??
    list?.templates.find(t => t.id === list.defaultTemplateId) ??
    FALLBACK_TEMPLATE
  );
}

export function isBuiltInText(id: string): id is PostmortemTextSection {
  return (POSTMORTEM_TEXT_SECTIONS as readonly string[]).includes(id);
}

/** The text of a text section, built-in or one the template adds. */
export function sectionText(postmortem: Postmortem, id: string): string {
  return isBuiltInText(id)
    ? postmortem[id]
    : postmortem.extraSections[id] ?? '';
}
