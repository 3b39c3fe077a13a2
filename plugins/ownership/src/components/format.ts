import { OwnershipHistoryEvent } from '@vitals/plugin-ownership-common';

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

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
      return `${shortRef(event.toOwnerRef)} confirmed by ${shortRef(event.actor)}${event.comment ? `: “${event.comment}”` : ''}`;
    case 'owner-changed':
      return `Owner changed from ${shortRef(event.fromOwnerRef)} to ${shortRef(event.toOwnerRef)}`;
    case 'first-seen':
    default:
      return `First seen, owned by ${shortRef(event.toOwnerRef)}`;
  }
}

/** Saves text as a file in the browser. */
export function downloadText(text: string, filename: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
