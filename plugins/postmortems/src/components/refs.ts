/** User refs typed into one field, separated by commas, semicolons or white space; empty ones dropped. */
export function splitRefs(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map(ref => ref.trim())
    .filter(Boolean);
}
