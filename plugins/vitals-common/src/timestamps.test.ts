import { timestampToIso } from './timestamps';

describe('timestampToIso', () => {
  it('reads what SQLite and PostgreSQL drivers return as the same instant', () => {
    const iso = '2026-11-26T10:15:00.000Z';
    expect(timestampToIso(new Date(iso))).toBe(iso);
    expect(timestampToIso(Date.parse(iso))).toBe(iso);
    expect(timestampToIso(String(Date.parse(iso)))).toBe(iso);
    expect(timestampToIso('2026-11-26 10:15:00')).toBe(iso);
    expect(timestampToIso('2026-11-26T11:15:00+01:00')).toBe(iso);
  });
});
