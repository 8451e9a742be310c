/**
 * CSV as RFC 4180 writes it: fields separated by commas, lines by CRLF; a field with a comma, a
 * double quote, a CR or LF, or leading/trailing spaces is quoted, its quotes doubled. Null is
 * the empty field.
 */
export type CsvField = string | number | null;

export function csvField(value: CsvField): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
