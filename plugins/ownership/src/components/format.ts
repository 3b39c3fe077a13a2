import { OwnershipHistoryEvent } from '@vitals/plugin-ownership-common';

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value}%`;
}

/** A user ref without the default namespace noise: `user:default/jane` → `jane`. */
export function shortRef(ref: string | null): string {
  if (!ref) return 'nobody';
  return ref.replace(/^(user|group):default\//, '');
}

export function describeHistoryEvent(event: OwnershipHistoryEvent): string {
  switch (event.type) {
    case 'confirmed':
      return `${shortRef(event.toOwnerRef)} confirmed by ${shortRef(
        event.actor,
      )}${event.comment ? `: “${event.comment}”` : ''}`;
    case 'owner-changed':
      return `Owner changed from ${shortRef(event.fromOwnerRef)} to ${shortRef(
        event.toOwnerRef,
      )}`;
    case 'first-seen':
    default:
      return `First seen, owned by ${shortRef(event.toOwnerRef)}`;
  }
}
