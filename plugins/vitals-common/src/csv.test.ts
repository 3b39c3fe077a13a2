import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks so spreadsheets read one cell', () => {
    const csv = toCsv(
      [{ a: 'x, "y"\nz', b: 2 }],
      [
        { header: 'A', value: r => r.a },
        { header: 'B', value: r => r.b },
      ],
    );
    expect(csv).toBe('A,B\r\n"x, ""y""\nz",2\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas, but keeps negative numbers', () => {
    const csv = toCsv(
      [{ a: '=HYPERLINK("x")', b: -3 }],
      [
        { header: 'A', value: r => r.a },
        { header: 'B', value: r => r.b },
      ],
    );
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",-3`);
  });

  it('writes empty cells for null and undefined', () => {
    expect(
      toCsv(
        [{}],
        [
          { header: 'A', value: () => null },
          { header: 'B', value: () => undefined },
        ],
      ),
    ).toBe('A,B\r\n,\r\n');
  });
});
