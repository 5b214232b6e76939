/** Rows of a query answer with the names of their columns. */
export interface ResultSet {
  readonly columns: ReadonlyArray<{ readonly name: string }>;
  readonly rows: readonly (readonly unknown[])[];
}

const MAX_CELL_WIDTH = 60;

/** The text of one value: strings as they are, NULL as `NULL`, lists and structs as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line per row, columns padded and separated by ` | `; long or multi-line cells are cut. */
export function formatTable(result: ResultSet): string[] {
  const header = result.columns.map((column) => column.name);
  const body = result.rows.map((row) => header.map((_, i) => shorten(cellText(row[i]))));
  const widths = header.map((name, i) =>
    Math.max(name.length, ...body.map((cells) => cells[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-+-'), ...body.map(line)];
}

function shorten(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > MAX_CELL_WIDTH ? `${flat.slice(0, MAX_CELL_WIDTH - 1)}…` : flat;
}

/** RFC 4180 CSV with a header line; NULL is an empty field, lists and structs are JSON. */
export function formatCsv(result: ResultSet): string[] {
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? '' : cellText(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [
    result.columns.map((column) => field(column.name)).join(','),
    ...result.rows.map((row) => result.columns.map((_, i) => field(row[i])).join(',')),
  ];
}
