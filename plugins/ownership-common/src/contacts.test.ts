import { safeContactUrl } from './contacts';

/* eslint-disable no-script-url -- the script URLs are the attack under test */

describe('safeContactUrl', () => {
  it.each([
    'https://payments.slack.com/archives/C0123',
    'http://wiki.example.com/payments',
    'mailto:payments@example.com',
    'slack://channel?team=T0123&id=C0123',
    'msteams:/l/chat/0/0?users=jane@example.com',
    'HTTPS://WIKI.EXAMPLE.COM/',
  ])('keeps %s as a link', url => {
    expect(safeContactUrl(url)).toBe(url);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'tel:+4930123456',
    '//evil.example.com',
    'payments.slack.com/archives/C0123',
    '',
    `https://example.com/${'x'.repeat(2048)}`,
  ])('shows %j as text', url => {
    expect(safeContactUrl(url)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(safeContactUrl(undefined)).toBeNull();
    expect(safeContactUrl({ href: 'https://example.com' })).toBeNull();
  });
});
