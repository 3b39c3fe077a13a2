/** One column of a CSV export. @public */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

function escapeCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A leading =, +, - or @ makes spreadsheets evaluate the cell as a formula.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') {
    text = `'${text}`;
  }
  if (/[",\r\n]/.test(text)) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** Renders rows as RFC 4180 CSV with a header line and CRLF line ends. @public */
export function toCsv<T>(rows: Iterable<T>, columns: CsvColumn<T>[]): string {
  const lines = [columns.map(c => escapeCell(c.header)).join(',')];
  for (const row of rows) {
    lines.push(columns.map(c => escapeCell(c.value(row))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
