import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SNAPSHOT_ACTOR } from '../database/DatabaseGoalsStore';
import { GoalsStore, StoredCampaign } from '../database/GoalsStore';
import { CampaignEvaluator } from './CampaignEvaluator';
import { FigureReader } from './FigureReader';

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The offset whose reminder is due on `today`: the smallest offset whose day (deadline − offset) has come, while the
 * deadline has not passed. A campaign launched late skips the reminders whose day went by before it existed.
 */
export function dueReminder(
  campaign: Pick<StoredCampaign, 'deadline' | 'reminderDaysBefore'>,
  today: string,
): number | undefined {
  const deadline = Date.parse(`${campaign.deadline}T00:00:00Z`);
  const now = Date.parse(`${today}T00:00:00Z`);
  if (now > deadline) return undefined;
  const due = campaign.reminderDaysBefore.filter(
    days => deadline - days * DAY_MS <= now,
  );
  return due.length ? Math.min(...due) : undefined;
}

/**
 * The daily snapshot: every active key result's figure (recording baselines once periods start), and every running
 * campaign's entities, teams, capacity and burn-up point of the day, with the reminder due.
 */
export class Snapshotter {
  constructor(
    private readonly deps: {
      store: GoalsStore;
      reader: FigureReader;
      evaluator: CampaignEvaluator;
      logger: LoggerService;
      notifications?: NotificationService;
    },
  ) {}

  async run(
    now = new Date(),
  ): Promise<{ keyResults: number; campaigns: number }> {
    const keyResults = await this.snapshotGoals(now);
    let campaigns = 0;
    for (const campaign of await this.deps.store.listRunningCampaigns(
      dayOf(now),
    )) {
      try {
        await this.snapshotCampaign(campaign, now);
        campaigns += 1;
      } catch (error) {
        this.deps.logger.warn(
          `Could not snapshot campaign ${campaign.id}: ${error}`,
        );
      }
    }
    return { keyResults, campaigns };
  }

  async snapshotGoals(now: Date): Promise<number> {
    const active = await this.deps.store.listActiveKeyResults(now);
    let read = 0;
    for (const { keyResult, periodStart } of active) {
      const reading = await this.deps.reader.read(keyResult.figure, { now });
      await this.deps.store.recordReading(
        keyResult.id,
        reading,
        now.getTime() >= Date.parse(periodStart),
      );
      read += 1;
    }
    return read;
  }

  async snapshotCampaign(campaign: StoredCampaign, now: Date): Promise<void> {
    const snapshot = await this.deps.evaluator.evaluate(campaign);
    await this.deps.store.writeCampaignSnapshot(
      campaign.id,
      snapshot,
      dayOf(now),
      now,
    );
    const daysBefore = dueReminder(campaign, dayOf(now));
    if (daysBefore === undefined) return;
    const owners = [
      ...new Set(
        snapshot.entities
          .filter(e => e.state === 'open' && e.ownerRef)
          .map(e => e.ownerRef!),
      ),
    ].sort();
    // Claimed before sending, so that replicas and re-runs send each reminder at most once.
    if (
      !(await this.deps.store.claimReminder(
        campaign.id,
        daysBefore,
        owners.length,
        now,
      ))
    ) {
      return;
    }
    const open = snapshot.entities.filter(e => e.state === 'open').length;
    if (owners.length && this.deps.notifications) {
      try {
        await this.deps.notifications.send({
          recipients: { type: 'entity', entityRef: owners },
          payload: {
            title: `${campaign.name}: ${
              daysBefore === 0 ? 'due today' : `due in ${daysBefore} days`
            }`,
            description: `${open} of ${snapshot.entities.length} entities still fail a check of the campaign "${campaign.name}" (deadline ${campaign.deadline}). Entities that pass drop out; a waiver counts as done.`,
            link: `/campaigns/${campaign.id}`,
            severity: daysBefore <= 1 ? 'high' : 'normal',
            topic: `campaign:${campaign.id}`,
          },
        });
      } catch (error) {
        this.deps.logger.warn(
          `Could not send the ${daysBefore}-day reminder of campaign ${campaign.id}: ${error}`,
        );
      }
    }
    await this.deps.store.addCampaignEvent(
      campaign.id,
      'reminded',
      SNAPSHOT_ACTOR,
      { daysBefore, owners, openEntities: open },
      now,
    );
  }
}
