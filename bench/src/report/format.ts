/** A number for a table cell: fixed digits, or an en dash when missing. */
export const f = (v: number | undefined, d = 0) =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '–';
