/** A column of a plain-text table. */
export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
  /** Cells longer than this are cut with `…`. */
  readonly maxWidth?: number;
}

/** Lays out rows under a header and a rule, columns two spaces apart. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string[] {
  const cells = rows.map((row) => columns.map((column, i) => clip(row[i] ?? '', column.maxWidth)));
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const line = (row: readonly string[]): string =>
    columns
      .map((column, i) => {
        const width = widths[i] ?? 0;
        const cell = row[i] ?? '';
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.title)),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map(line),
  ];
}

function clip(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  return `${text.slice(0, maxWidth - 1)}…`;
}
