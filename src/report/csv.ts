// CSV text of one plotted series (RFC 4180 quoting, numbers at full precision, '\n' line ends).
import type { Cell, Series } from './series.ts';

function field(cell: Cell): string {
  const text = typeof cell === 'number' ? String(cell) : cell;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderSeriesCsv(series: Series): string {
  return [series.columns, ...series.rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
