import {
  describeTemplateIssues,
  onboardingTemplateSchema,
  reportVisitRequestSchema,
  userRefSchema,
} from './schemas';
import { STEP_KINDS, STEP_LINK_TYPES, VISIT_KINDS } from './types';

const template = (step: object) => ({
  apiVersion: 'vitals/v1',
  kind: 'OnboardingTemplate',
  metadata: { name: 'payments-team', title: 'Joining Payments' },
  spec: {
    targets: { groups: ['group:default/payments'] },
    steps: [{ id: 'read-runbook', title: 'Read the runbook', ...step }],
  },
});

describe('the enums the schemas are built from', () => {
  it('accepts every step kind and link type, and names them all when refusing another', () => {
    for (const kind of STEP_KINDS) {
      const group = kind === 'group-membership' ? 'payments' : undefined;
      expect(
        onboardingTemplateSchema.safeParse(template({ kind, group })).success,
      ).toBe(true);
    }
    for (const type of STEP_LINK_TYPES) {
      const links = [{ title: 'Runbook', url: '/docs', type }];
      expect(
        onboardingTemplateSchema.safeParse(template({ links })).success,
      ).toBe(true);
    }
    const wrong = onboardingTemplateSchema.safeParse(
      template({ kind: 'video' }),
    );
    expect(describeTemplateIssues(wrong.error!)).toEqual([
      `spec.steps[0].kind: must be one of ${STEP_KINDS.join(', ')}`,
    ]);
  });

  it('takes visits of the visit kinds only', () => {
    for (const kind of VISIT_KINDS) {
      expect(
        reportVisitRequestSchema.parse({
          entityRef: 'Component:default/Payments-API',
          kind,
        }),
      ).toEqual({ entityRef: 'component:default/payments-api', kind });
    }
    const wrong = reportVisitRequestSchema.safeParse({
      entityRef: 'component:default/payments-api',
      kind: 'video',
    });
    expect(wrong.error?.issues.map(i => i.message)).toEqual(['must be docs']);
  });
});

describe('refs', () => {
  it('are normalised, at most 255 characters once normalised, without control characters', () => {
    expect(userRefSchema.parse('jane')).toBe('user:default/jane');
    expect(userRefSchema.safeParse('u'.repeat(250)).success).toBe(false);
    expect(userRefSchema.safeParse('ja\u0000ne').error?.issues[0].message).toBe(
      'must not contain control characters',
    );
  });
});
