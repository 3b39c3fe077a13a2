import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { entityRefInput } from '../schemas';
import { ActionDeps } from './types';

/** `confirm-ownership`: confirms, as the caller, that the owning team still owns an entity. */
export function registerConfirmOwnership({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'confirm-ownership',
    title: 'Confirm ownership of an entity',
    description: [
      "Confirms that a catalog entity's current owner (its team) still owns it, recorded in the ownership history as confirmed by the caller;",
      'this clears the "confirmation overdue" problem until the confirmation period ends again.',
      'Only a member of the owning team may confirm: anyone else gets NotAllowedError and nothing is recorded.',
      'It does not change the owner (that is done in the catalog). Each call adds a confirmation to the history.',
    ].join(' '),
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(
            z,
            'The entity, e.g. component:default/payments-api.',
          ),
          comment: z
            .string()
            .max(1000)
            .optional()
            .describe('Why, or anything to note with the confirmation.'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          ownerRef: z.string().describe('The owner that was confirmed.'),
          confirmedBy: z.string(),
          confirmedAt: z.string(),
          comment: z.string().nullable(),
        }),
    },
    async action({ input, credentials }) {
      const entityRef = entityRefOf(input.entityRef, 'entityRef');
      const confirmation = await callArea(
        `Could not confirm the ownership of ${entityRef}`,
        () =>
          clientsFor(credentials).ownership.confirmOwnership(
            entityRef,
            input.comment === undefined ? {} : { comment: input.comment },
          ),
      );
      return {
        output: {
          entityRef: confirmation.entityRef,
          ownerRef: confirmation.ownerRef,
          confirmedBy: confirmation.confirmedBy,
          confirmedAt: confirmation.confirmedAt,
          comment: confirmation.comment,
        },
      };
    },
  });
}
