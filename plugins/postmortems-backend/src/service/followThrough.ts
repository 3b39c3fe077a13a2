import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PostmortemsSettings } from '../config';
import {
  MissingPostmortemRecord,
  OverdueActionItemRecord,
  PostmortemsStore,
} from '../database/PostmortemsStore';
import { DebtRegister, debtOf } from './debtRegister';
import { dayOf, daysSince } from './views';

const DAY = 24 * 60 * 60 * 1000;
/** Lines of a notification's description that name what is overdue. */
const LISTED = 5;

/** What one run of the follow-through job found and did. */
export interface FollowThroughRun {
  /** Action items whose debt item was read from the register again. */
  actionItemsChecked: number;
  missingPostmortems: number;
  overdueActionItems: number;
  /** Notices sent in this run (each missing postmortem or overdue action item is notified once). */
  notified: number;
  teamsNotified: string[];
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;
const nameOf = (ref: string) => parseEntityRef(ref).name;

/** The notification of one team: what became overdue since the team was last told. */
export function teamNotification(
  teamRef: string,
  missing: MissingPostmortemRecord[],
  overdue: OverdueActionItemRecord[],
  settings: PostmortemsSettings,
  now: number,
) {
  const parts = [
    missing.length ? plural(missing.length, 'postmortem') : '',
    overdue.length ? plural(overdue.length, 'action item') : '',
  ].filter(Boolean);
  const lines = [
    ...missing.map(
      m =>
        `Incident ${m.incident.id} on ${nameOf(m.incident.entityRef)} (${
          m.incident.severity ?? 'no severity'
        }): postmortem ${
          m.postmortem
            ? `still ${m.postmortem.status.replace('_', ' ')}`
            : 'not started'
        }, due ${daysSince(
          m.incident.createdAt + settings.postmortemDueDays * DAY,
          now,
        )} days ago`,
    ),
    ...overdue.map(
      o =>
        `Action item "${o.debt?.title ?? o.debtItemId}" of "${
          o.postmortemTitle
        }", due ${o.dueDate}`,
    ),
  ];
  const more =
    lines.length > LISTED ? ` … and ${lines.length - LISTED} more.` : '';
  return {
    recipients: { type: 'entity' as const, entityRef: teamRef },
    payload: {
      title: `${nameOf(teamRef)}: ${parts.join(' and ')} overdue`,
      description: `${lines.slice(0, LISTED).join('. ')}.${more}`,
      link: `/postmortems?team=${encodeURIComponent(teamRef)}`,
      severity: 'normal' as const,
      topic: 'postmortems',
      // One follow-through notification per team: a newer one replaces the older in the inbox.
      scope: `postmortems:follow-through:${teamRef}`,
    },
  };
}

/**
 * The follow-through job: reads the debt items of the open action items again (as the plugin itself), lists the
 * qualifying incidents whose postmortem is due and not published and the open action items past their due date, and
 * tells each owning team about those it was not told about yet. Each notice is claimed in the database before it is
 * sent (and given back when sending fails), so a second run — on this replica or another, also at the same time —
 * never sends it again.
 */
export async function runFollowThrough(options: {
  store: PostmortemsStore;
  register: DebtRegister;
  auth: AuthService;
  notifications?: NotificationService;
  settings: PostmortemsSettings;
  logger: LoggerService;
  now?: number;
}): Promise<FollowThroughRun> {
  const { store, register, auth, notifications, settings, logger } = options;
  const now = options.now ?? Date.now();

  const ids = await store.listOpenDebtItemIds();
  let checked = 0;
  if (ids.length) {
    try {
      const found = await register.getItems(
        await auth.getOwnServiceCredentials(),
        ids,
      );
      await store.saveDebtSnapshots(
        ids.map(id => {
          const item = found.get(id);
          return { debtItemId: id, debt: item ? debtOf(item) : null };
        }),
        now,
      );
      checked = ids.length;
    } catch (error) {
      // The figures then use the last known state of the items.
      logger.warn(
        `Follow-through: could not read ${ids.length} action items from the tech-debt register: ${error}`,
      );
    }
  }

  const [missing, overdue] = await Promise.all([
    store.listMissingPostmortems({
      since: now - settings.followThroughLookbackDays * DAY,
      dueBefore: now - settings.postmortemDueDays * DAY,
      qualifying: settings.qualifying,
      limit: 50_000,
    }),
    store.listOverdueActionItems({ today: dayOf(now), limit: 50_000 }),
  ]);
  const run: FollowThroughRun = {
    actionItemsChecked: checked,
    missingPostmortems: missing.totalCount,
    overdueActionItems: overdue.totalCount,
    notified: 0,
    teamsNotified: [],
  };
  if (!settings.notify || !notifications) return run;

  const teams = new Map<
    string,
    { missing: MissingPostmortemRecord[]; overdue: OverdueActionItemRecord[] }
  >();
  const teamOf = (ref: string) => {
    if (!teams.has(ref)) teams.set(ref, { missing: [], overdue: [] });
    return teams.get(ref)!;
  };
  for (const m of missing.items) {
    if (m.incident.ownerRef) teamOf(m.incident.ownerRef).missing.push(m);
  }
  for (const o of overdue.items) {
    if (o.ownerRef) teamOf(o.ownerRef).overdue.push(o);
  }

  const missingKey = (m: MissingPostmortemRecord) => `missing:${m.incident.id}`;
  const overdueKey = (o: OverdueActionItemRecord) =>
    `overdue:${o.postmortemId}:${o.debtItemId}:${o.dueDate}`;
  for (const [teamRef, found] of [...teams].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const claimed = new Set(
      await store.claimNotices(
        [
          ...found.missing.map(m => ({ key: missingKey(m), teamRef })),
          ...found.overdue.map(o => ({ key: overdueKey(o), teamRef })),
        ],
        now,
      ),
    );
    if (claimed.size === 0) continue;
    const newMissing = found.missing.filter(m => claimed.has(missingKey(m)));
    const newOverdue = found.overdue.filter(o => claimed.has(overdueKey(o)));
    try {
      await notifications.send(
        teamNotification(teamRef, newMissing, newOverdue, settings, now),
      );
      run.notified += claimed.size;
      run.teamsNotified.push(teamRef);
    } catch (error) {
      await store.releaseNotices([...claimed]);
      logger.warn(
        `Follow-through: could not notify ${teamRef} (tried again next run): ${error}`,
      );
    }
  }
  logger.info(
    `Follow-through: ${run.missingPostmortems} postmortems and ${run.overdueActionItems} action items overdue; ${run.notified} new notices to ${run.teamsNotified.length} teams`,
  );
  return run;
}
