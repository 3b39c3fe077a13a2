/**
 * The URL schemes a contact or on-call link may have to be rendered as a link: the web, email, and chat apps (Slack,
 * Microsoft Teams). Anything else — `javascript:`, `data:`, `vbscript:`, `file:`, an unknown app — is shown as text.
 *
 * @public
 */
export const CONTACT_URL_SCHEMES: readonly string[] = [
  'http:',
  'https:',
  'mailto:',
  'slack:',
  'msteams:',
];

/** Longest contact URL that is rendered as a link. @public */
export const MAX_CONTACT_URL_LENGTH = 2048;

/**
 * The URL to put in an `href` for a contact channel, or null when it must be shown as plain text. The scheme is read
 * the way a browser reads it (WHATWG URL parsing, which drops leading spaces and control characters and tabs or line
 * breaks inside), so `' JavaScript:…'` or `'java\tscript:…'` are refused like `javascript:…`. The backend applies it
 * when it reads contacts from the catalog and the frontend again before rendering.
 *
 * @public
 */
export function safeContactUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const value = url.trim();
  if (!value || value.length > MAX_CONTACT_URL_LENGTH) return null;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return null;
  }
  return CONTACT_URL_SCHEMES.includes(protocol.toLocaleLowerCase('en-US'))
    ? value
    : null;
}
