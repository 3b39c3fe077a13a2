/**
 * Builds the `?a=1&b=x,y` part of a Vitals API URL: empty values are left out and lists are sent comma-separated,
 * the form every Vitals backend reads. Returns '' when nothing is left.
 *
 * @public
 */
export function toQueryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
