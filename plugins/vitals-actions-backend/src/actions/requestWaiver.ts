import { InputError } from '@backstage/errors';
import { MAX_WAIVER_DAYS } from '@vitals/plugin-scorecards-common';
import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { entityRefInput } from '../schemas';
import { ActionDeps } from './types';

const DAY_MS = 24 * 3600 * 1000;

/** `request-waiver`: waives a scorecard check for an entity until a date, as the caller. */
export function registerRequestWaiver({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'request-waiver',
    title: 'Waive a scorecard check for an entity',
    description: [
      "Records an owner's decision that one scorecard check does not apply to an entity until a date, with the reason.",
      'The waiver takes effect at once: the entity is re-evaluated and the check counts as passed for its level and score until the waiver expires.',
      `Only the entity's owners may waive (anyone else gets NotAllowedError and nothing is recorded); a waiver lasts at most ${MAX_WAIVER_DAYS} days.`,
      'Give either expiresAt or days. Each call creates a new waiver.',
    ].join(' '),
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(
            z,
            'The entity, e.g. component:default/payments-api.',
          ),
          scorecardId: z
            .string()
            .min(1)
            .max(100)
            .describe('e.g. production-readiness.'),
          checkId: z.string().min(1).max(100).describe('e.g. has-techdocs.'),
          reason: z
            .string()
            .min(3)
            .max(2000)
            .describe('Why the check does not apply for now.'),
          expiresAt: z
            .string()
            .max(40)
            .optional()
            .describe(
              'When the waiver ends: an ISO 8601 date or date-time in the future.',
            ),
          days: z
            .number()
            .int()
            .min(1)
            .max(MAX_WAIVER_DAYS)
            .optional()
            .describe(
              'Instead of expiresAt: how many days from now the waiver lasts.',
            ),
        }),
      output: z =>
        z.object({
          id: z.string(),
          entityRef: z.string(),
          scorecardId: z.string(),
          checkId: z.string(),
          reason: z.string(),
          expiresAt: z.string(),
          createdBy: z.string(),
          createdAt: z.string(),
          version: z.number(),
        }),
    },
    async action({ input, credentials }) {
      const entityRef = entityRefOf(input.entityRef, 'entityRef');
      if ((input.expiresAt === undefined) === (input.days === undefined)) {
        throw new InputError('Give either expiresAt or days, not both');
      }
      const expiresAt =
        input.expiresAt ??
        new Date(Date.now() + input.days! * DAY_MS).toISOString();
      const waiver = await callArea(
        `Could not waive ${input.scorecardId}/${input.checkId} for ${entityRef}`,
        () =>
          clientsFor(credentials).scorecards.createWaiver({
            entityRef,
            scorecardId: input.scorecardId,
            checkId: input.checkId,
            reason: input.reason,
            expiresAt,
          }),
      );
      return {
        output: {
          id: waiver.id,
          entityRef: waiver.entityRef,
          scorecardId: waiver.scorecardId,
          checkId: waiver.checkId,
          reason: waiver.reason,
          expiresAt: waiver.expiresAt,
          createdBy: waiver.createdBy,
          createdAt: waiver.createdAt,
          version: waiver.version,
        },
      };
    },
  });
}
