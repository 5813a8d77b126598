/**
 * Counts metric values in StatsD datagrams, per metric name.
 *
 * One line can carry several values, in two spellings, and both count as several values:
 * - DogStatsD multi-value: `name:1:2:3|ms|#tags`
 * - Etsy multi-metric:     `name:1|ms:2|ms`
 * Trailing fields (`|@rate`, `|#tags`, `|c:container`, `|T123`) are not values.
 */
export type ValueCounts = Map<string, number>;

const TYPES = new Set(['c', 'ms', 'g', 's', 'h', 'd']);

/** Number of values on one line and the metric name; `undefined` for a line that is not a metric. */
export function parseLine(line: string): { name: string; values: number } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon);
  const fields = line.slice(colon + 1).split('|');
  if (fields.length < 2) return undefined;
  let values = fields[0]!.split(':').length;
  // Etsy style: each following field "type:value[:value]" adds values until a bare type.
  for (let i = 1; i < fields.length; i++) {
    const field = fields[i]!;
    const sep = field.indexOf(':');
    if (sep < 0) break;
    const type = field.slice(0, sep);
    const rest = field.slice(sep + 1);
    if (!TYPES.has(type) || rest === '' || !/^[-+]?[0-9.eE]+(:[-+]?[0-9.eE]+)*$/.test(rest)) break;
    values += rest.split(':').length;
  }
  return { name, values };
}

/** Adds the values found in one datagram to `counts`; returns the number of values. */
export function countDatagram(payload: string, counts: ValueCounts): number {
  let total = 0;
  for (const line of payload.split('\n')) {
    if (line === '') continue;
    const parsed = parseLine(line);
    if (!parsed) {
      counts.set('<unparsed>', (counts.get('<unparsed>') ?? 0) + 1);
      continue;
    }
    counts.set(parsed.name, (counts.get(parsed.name) ?? 0) + parsed.values);
    total += parsed.values;
  }
  return total;
}
