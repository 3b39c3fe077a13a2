import {
  StepCompletion,
  TemplateProblem,
} from '@vitals/plugin-onboarding-common';

/** One checklist of one person, as stored. */
export interface ChecklistRecord {
  userRef: string;
  checklistId: string;
  templateId: string;
  entityRef: string | null;
  teamRef: string | null;
  teamTitle: string | null;
  origin: 'membership' | 'entity-page';
  active: boolean;
  startedAt: Date;
  doneCount: number;
  totalCount: number;
  lastProgressAt: Date | null;
  completedAt: Date | null;
}

/** The stored state of one step. */
export interface StepStateRecord {
  checklistId: string;
  stepId: string;
  done: boolean;
  completedAt: Date | null;
  progressAt: Date | null;
  completedBy: 'user' | 'automatic' | null;
  evidence: string | null;
}

/** A change of a person, with its first production deployment when known. */
export interface ShaRecord {
  entityRef: string;
  sha: string;
  changeId: string | null;
  mergedAt: Date | null;
  deployedAt: Date | null;
  deploymentId: string | null;
}

export interface VisitRecord {
  entityRef: string;
  kind: string;
  visitedAt: Date;
}

/** Rollup of one person for one team. */
export interface TeamMemberRecord {
  teamRef: string;
  userRef: string;
  teamTitle: string | null;
  checklists: number;
  doneCount: number;
  totalCount: number;
  startedAt: Date;
  completedAt: Date | null;
  lastProgressAt: Date | null;
  firstChangeAt: Date | null;
  firstDeployAt: Date | null;
}

export interface PersonRecord {
  userRef: string;
  displayName: string | null;
  startedAt: Date;
  firstChangeAt: Date | null;
  firstDeployAt: Date | null;
}

/** Everything stored about one person's onboarding. */
export interface UserState {
  checklists: ChecklistRecord[];
  steps: StepStateRecord[];
  shas: ShaRecord[];
  visits: VisitRecord[];
  teams: TeamMemberRecord[];
  person: PersonRecord | null;
}

/** A history entry to append. */
export type NewStepCompletion = Omit<StepCompletion, 'at'> & { at: Date };

/** Everything one recomputation of a person writes, in one transaction. */
export interface ProgressWrite {
  /** Step states to delete first (a reset), by checklist and step. */
  deleteStepStates?: Array<{ checklistId: string; stepId: string }>;
  /** Checklists to insert (new) or update (placement, activity and rollup columns); started_at never changes. */
  checklists: ChecklistRecord[];
  stepStates: Array<StepStateRecord>;
  history: NewStepCompletion[];
  /** When set, replaces every team row of the person. */
  teams?: TeamMemberRecord[];
  /** When set, replaces the person row; null deletes it. */
  person?: PersonRecord | null;
}

export interface ChangeRecord {
  entityRef: string;
  sha: string;
  userRef: string;
  changeId: string;
  mergedAt: Date;
}

export interface DeploymentRecord {
  entityRef: string;
  deploymentId: string;
  finishedAt: Date;
  shas: string[];
}

/**
 * The templates every replica serves: the last good set read from `onboarding.templates`, as JSON, with the problems
 * of the last read. `revision` grows by one on every change, so that replicas notice a new set with one small query.
 */
export interface TemplateSetRecord {
  revision: number;
  /** `LoadedTemplate[]` as JSON; validated again when read. */
  templates: unknown[];
  problems: TemplateProblem[];
  updatedAt: Date;
}

export interface OnboardingStore {
  getUserState(userRef: string): Promise<UserState>;
  /** The states of several people at once (a batch re-evaluation); everyone asked for has an entry. */
  getUserStates(userRefs: string[]): Promise<Map<string, UserState>>;
  /** Writes everything of one recomputation in one transaction: all of it, or (on an error) none of it. */
  saveProgress(userRef: string, write: ProgressWrite): Promise<void>;
  /** Records the first visit; returns false when it was already recorded. */
  recordVisit(visit: VisitRecord & { userRef: string }): Promise<boolean>;
  /** Records merged changes (idempotent); returns the authors whose records changed. */
  recordChanges(changes: ChangeRecord[]): Promise<string[]>;
  /** Records production deployments of shas (keeps the earliest); returns the authors whose records changed. */
  recordDeployments(deployments: DeploymentRecord[]): Promise<string[]>;
  /** Of the given people, those with any checklist. */
  peopleWithChecklists(userRefs: string[]): Promise<string[]>;
  /** People with a checklist of any of these templates. */
  peopleWithTemplates(templateIds: string[]): Promise<string[]>;
  listHistory(query: {
    userRef?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: StepCompletion[]; totalCount: number }>;
  /** Team rows of the given teams with the person's display name; every row (without names) when undefined. */
  listTeamMembers(
    teamRefs?: string[],
  ): Promise<Array<TeamMemberRecord & { displayName: string | null }>>;
  /** The revision of the stored template set; 0 when none was stored yet. */
  getTemplateSetRevision(): Promise<number>;
  /** The stored template set, if any. */
  getTemplateSet(): Promise<TemplateSetRecord | undefined>;
  /**
   * Stores a new template set when the stored one still has `expectedRevision` (0: none stored yet); returns the new
   * revision, or undefined when another replica stored one first.
   */
  saveTemplateSet(
    set: Pick<TemplateSetRecord, 'templates' | 'problems'>,
    expectedRevision: number,
  ): Promise<number | undefined>;
}
