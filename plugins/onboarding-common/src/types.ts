/*
 * The enums of the API, each written once: the zod schemas, the client, the frontend and the backend's OpenAPI spec
 * (checked equal by a test of the backend) use these.
 */

/** Every step kind, in the order the docs list them. @public */
export const STEP_KINDS = [
  'manual',
  'first-change-merged',
  'first-change-deployed',
  'group-membership',
  'docs-visit',
] as const;

/** How a step completes. Only `manual` steps are ticked by people; the others complete themselves. @public */
export type StepKind = (typeof STEP_KINDS)[number];

/** Every link type. @public */
export const STEP_LINK_TYPES = [
  'docs',
  'techdocs',
  'runbook',
  'repo',
  'other',
] as const;

/** What a step link points at; the frontend picks an icon from it. @public */
export type StepLinkType = (typeof STEP_LINK_TYPES)[number];

/** Who completed a step: the person (a tick) or the evidence (an automatic step). @public */
export const STEP_COMPLETED_BY = ['user', 'automatic'] as const;

/** @public */
export type StepCompletedBy = (typeof STEP_COMPLETED_BY)[number];

/** What made an entry of the step history: a tick, an automatic completion, or a reset. @public */
export const STEP_HISTORY_BY = ['user', 'automatic', 'reset'] as const;

/** @public */
export type StepHistoryBy = (typeof STEP_HISTORY_BY)[number];

/** What a person can report visiting (`POST /v1/me/visits`). @public */
export const VISIT_KINDS = ['docs'] as const;

/** @public */
export type VisitKind = (typeof VISIT_KINDS)[number];

/** A link shown with a step. @public */
export interface StepLink {
  title: string;
  url: string;
  type?: StepLinkType;
}

/** One step of a person's checklist, with its state. @public */
export interface ChecklistStep {
  id: string;
  title: string;
  /** Markdown. */
  description?: string;
  links: StepLink[];
  kind: StepKind;
  /** For `first-change-*` and `docs-visit`: the entity the step is about, when it names one. */
  entityRef?: string;
  /** For `group-membership`: the group to be a member of. */
  group?: string;
  done: boolean;
  /** ISO 8601. For automatic steps, when the evidence happened (the merge, the deployment). */
  completedAt?: string;
  completedBy?: StepCompletedBy;
  /** What completed an automatic step, e.g. "Change abc1234 merged in component:default/payments-api on 3 Oct 2026". */
  evidence?: string;
  /** For automatic steps: what will complete it, in words. */
  howItCompletes?: string;
}

/** One checklist of one person: a team checklist (`id` = template name) or an entity checklist (`<template>:<entityRef>`). @public */
export interface Checklist {
  id: string;
  templateId: string;
  title: string;
  /** Markdown. */
  description?: string;
  /** The entity it is for (entity checklists). */
  entityRef?: string;
  /** The team it is for (team checklists). */
  groupRef?: string;
  userRef: string;
  /**
   * ISO 8601: when the person started this checklist (it never changes). Absent on a checklist the person has not
   * started: what `GET /v1/entity-checklist` shows of a service's checklist before the person ticks a step of it.
   */
  startedAt?: string;
  /** ISO 8601: when the last step was done, if every step is done. */
  completedAt?: string;
  /** ISO 8601: the latest step completion. */
  lastProgressAt?: string;
  /** Not complete and no progress for `onboarding.stalledAfterDays` days (from the last progress, or the start). */
  stalled: boolean;
  done: number;
  total: number;
  steps: ChecklistStep[];
}

/** A person's checklists. @public */
export interface MyOnboarding {
  userRef: string;
  /**
   * Whether the person's onboarding has started (by themselves, opening My onboarding, or by an admin). Reading
   * someone's checklists never starts them: until then this is false and `checklists` is empty.
   */
  started: boolean;
  checklists: Checklist[];
}

/** Which entities and people a template applies to. @public */
export interface TemplateTargets {
  groups?: string[];
  kinds?: string[];
  types?: string[];
  entityRefs?: string[];
}

/** A loaded, valid template. @public */
export interface TemplateSummary {
  id: string;
  title: string;
  description?: string;
  owner?: string;
  /** The location it was read from, as configured. */
  source: string;
  targets: TemplateTargets;
  /** Number of steps. */
  steps: number;
}

/** Why a template (or a whole file) was not loaded. @public */
export interface TemplateProblem {
  source: string;
  /** The template's name, when the document has one. */
  template?: string;
  /** Names the file, the template and the field. */
  message: string;
}

/** Response of `GET /v1/templates`. @public */
export interface TemplatesResponse {
  templates: TemplateSummary[];
  problems: TemplateProblem[];
}

/** One person in a team's onboarding report. @public */
export interface OnboardingMember {
  userRef: string;
  displayName?: string;
  /** Number of checklists counted for this team. */
  checklists: number;
  done: number;
  total: number;
  startedAt: string;
  completedAt?: string;
  lastProgressAt?: string;
  stalled: boolean;
  firstChangeMergedAt?: string;
  firstDeployedAt?: string;
  /** From startedAt, fractional days, 1 decimal. */
  daysToFirstChange?: number;
  /** From startedAt, fractional days, 1 decimal. */
  daysToFirstDeploy?: number;
}

/** Time-to-first-value of the people who started in one month. @public */
export interface CohortFigure {
  /** `YYYY-MM` of startedAt. */
  cohort: string;
  people: number;
  medianDaysToFirstChange: number | null;
  medianDaysToFirstDeploy: number | null;
}

/** A team's onboarding. @public */
export interface TeamOnboardingReport {
  groupRef: string;
  title?: string;
  /** People not complete. */
  onboarding: number;
  completed: number;
  stalled: number;
  medianDaysToFirstChange: number | null;
  medianDaysToFirstDeploy: number | null;
  members: OnboardingMember[];
  /** Oldest first. */
  cohorts: CohortFigure[];
}

/** One team row of the org report. @public */
export type TeamOnboardingSummary = Omit<
  TeamOnboardingReport,
  'members' | 'cohorts'
>;

/** The org's onboarding: one row per team with people onboarding or done. @public */
export interface OrgOnboardingReport {
  stalledAfterDays: number;
  teams: TeamOnboardingSummary[];
  /** Oldest first, across the org. */
  cohorts: CohortFigure[];
}

/** One entry of the append-only step history. @public */
export interface StepCompletion {
  userRef: string;
  checklistId: string;
  stepId: string;
  done: boolean;
  /** ISO 8601. */
  at: string;
  by: StepHistoryBy;
  /** Who did it (the person, or whoever reset). */
  actorRef?: string;
  evidence?: string;
}

/** Response of `GET /v1/history`. @public */
export interface StepCompletionPage {
  items: StepCompletion[];
  totalCount: number;
}

/** Response of `GET /v1/entity-checklist`. @public */
export interface EntityChecklistResponse {
  checklist: Checklist | null;
}
