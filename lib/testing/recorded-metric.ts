/** One value received by the in-memory recorder. */
export interface RecordedMetric {
  /** Full name, prefix included. */
  name: string;
  /** StatsD type: `c`, `g`, `ms`, `h`, `d` or `s`. */
  type: string;
  /** The value (a number, or the member of a set). */
  value: number | string;
  /** Tags, global tags included. */
  tags: Record<string, string>;
}

/**
 * Parses a DogStatsD line written by this library (`name:v1:v2|type[|@rate][|#k:v,…]`) into one
 * record per value. Not a general parser: it trusts our own sanitized output.
 */
export function parseOwnLine(line: string): RecordedMetric[] {
  const [head = '', type = '', ...fields] = line.split('|');
  const separator = head.indexOf(':');
  const name = head.slice(0, separator);
  const tags: Record<string, string> = {};
  const tagField = fields.find((field) => field.startsWith('#'));
  if (tagField !== undefined) {
    for (const tag of tagField.slice(1).split(',')) {
      const colon = tag.indexOf(':');
      if (colon === -1) tags[tag] = '';
      else tags[tag.slice(0, colon)] = tag.slice(colon + 1);
    }
  }
  return head
    .slice(separator + 1)
    .split(':')
    .map((text) => ({ name, type, value: type === 's' ? text : Number(text), tags: { ...tags } }));
}
