/** One column of a CSV export: its heading and how a row gives its value. */
export interface Column<T> {
  readonly heading: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
}

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
function field(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would make a spreadsheet run the field as a formula: a quote before it keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (RFC 4180: CRLF line ends, a header line). */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => field(c.heading)), ...rows.map((row) => columns.map((c) => field(c.value(row))))];
  return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}
