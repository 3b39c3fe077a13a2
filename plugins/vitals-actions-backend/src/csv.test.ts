import { parseCsv, parseCsvRecords } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('keys rows by the header, empty cells included', () => {
    expect(parseCsvRecords('Entity,Failing checks\nc:d/e,\n')).toEqual([
      { Entity: 'c:d/e', 'Failing checks': '' },
    ]);
    expect(parseCsvRecords('')).toEqual([]);
  });
});
