import { useApi } from '@backstage/core-plugin-api';
import { describeApiError } from '@vitals/common';
import type {
  Checklist,
  ChecklistStep,
} from '@vitals/plugin-onboarding-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { onboardingApiRef } from '../api/onboardingApiRef';

function withStep(
  checklist: Checklist,
  stepId: string,
  step: (s: ChecklistStep) => ChecklistStep,
): Checklist {
  const steps = checklist.steps.map(s => (s.id === stepId ? step(s) : s));
  return { ...checklist, steps, done: steps.filter(s => s.done).length };
}

/** What the user sees right after ticking, before the server answers. */
function ticked(step: ChecklistStep, done: boolean): ChecklistStep {
  return done
    ? {
        ...step,
        done: true,
        completedAt: new Date().toISOString(),
        completedBy: 'user',
      }
    : { ...step, done: false, completedAt: undefined, completedBy: undefined };
}

/** Checklists whose manual steps can be ticked: the tick shows at once, and is undone with a message if saving fails. */
export interface StepToggling {
  checklists: Checklist[] | undefined;
  /** Ticks or unticks a manual step and saves it on the server. */
  toggle(checklistId: string, stepId: string, done: boolean): Promise<void>;
  /** Whether the step's save is still in flight (`checklistId/stepId`). */
  isSaving(checklistId: string, stepId: string): boolean;
  /** The last failed save of each checklist, as a message for the user. */
  errors: Record<string, string>;
  dismissError(checklistId: string): void;
}

export function useStepToggling(loaded: Checklist[] | undefined): StepToggling {
  const api = useApi(onboardingApiRef);
  const [checklists, setChecklists] = useState(loaded);
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const latest = useRef(checklists);
  latest.current = checklists;

  // A fresh load from the server replaces whatever is on screen.
  useEffect(() => setChecklists(loaded), [loaded]);

  const toggle = useCallback(
    async (checklistId: string, stepId: string, done: boolean) => {
      const before = latest.current
        ?.find(c => c.id === checklistId)
        ?.steps.find(s => s.id === stepId);
      if (!before) return;
      const key = `${checklistId}/${stepId}`;
      setChecklists(cs =>
        cs?.map(c =>
          c.id === checklistId ? withStep(c, stepId, s => ticked(s, done)) : c,
        ),
      );
      setSaving(s => new Set(s).add(key));
      setErrors(({ [checklistId]: _, ...rest }) => rest);
      try {
        const saved = await api.setStepDone({ checklistId, stepId, done });
        setChecklists(cs => cs?.map(c => (c.id === saved.id ? saved : c)));
      } catch (e) {
        setChecklists(cs =>
          cs?.map(c =>
            c.id === checklistId ? withStep(c, stepId, () => before) : c,
          ),
        );
        setErrors(es => ({
          ...es,
          [checklistId]: `Could not save “${before.title}”: ${describeApiError(
            e,
          )}. It is ${
            before.done ? 'still marked done' : 'still not done'
          }; try again.`,
        }));
      } finally {
        setSaving(s => {
          const next = new Set(s);
          next.delete(key);
          return next;
        });
      }
    },
    [api],
  );

  return {
    checklists,
    toggle,
    isSaving: (checklistId, stepId) => saving.has(`${checklistId}/${stepId}`),
    errors,
    dismissError: checklistId =>
      setErrors(({ [checklistId]: _, ...rest }) => rest),
  };
}
