/**
 * Whether a tracker link may be rendered as a link: an absolute http(s) URL as a browser would parse it (so that
 * `javascript:` and friends, however spelled, never become an `href`).
 *
 * @public
 */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
