/** One metric line as sent by a StatsD client, after parsing. */
export interface ParsedMetric {
  readonly name: string;
  /** `c`, `ms`, `g`, `s`, `h` or `d`. */
  readonly type: string;
  /** Numbers for every type but `s` (sets), whose members are kept as strings. */
  readonly values: readonly (number | string)[];
  /** From `|@0.5`; 1 when absent. */
  readonly sampleRate: number;
  /** From `|#k:v,flag`; a tag without `:` gets the empty string as value. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ParsedDatagram {
  readonly metrics: ParsedMetric[];
  /** Lines that were not metrics (malformed, events `_e{`, service checks `_sc|`). */
  readonly skipped: number;
}

const KNOWN_TYPES = new Set(['c', 'ms', 'g', 's', 'h', 'd']);

/** Splits a datagram into lines and parses each one; blank lines are ignored. */
export function parseDatagram(datagram: string): ParsedDatagram {
  const metrics: ParsedMetric[] = [];
  let skipped = 0;
  for (const line of datagram.split('\n')) {
    if (line.trim() === '') continue;
    const metric = parseLine(line);
    if (metric) metrics.push(metric);
    else skipped++;
  }
  return { metrics, skipped };
}

/**
 * Parses one DogStatsD line: `name:v1[:v2...]|type[|@rate][|#k:v,...][|c:id][|T123]`.
 * Plain Etsy StatsD lines are the same grammar without the optional sections.
 * Returns undefined for anything else.
 */
export function parseLine(line: string): ParsedMetric | undefined {
  if (line.startsWith('_e{') || line.startsWith('_sc|')) return undefined;
  const sections = line.split('|');
  const head = sections[0] ?? '';
  const type = sections[1] ?? '';
  const colon = head.indexOf(':');
  if (colon <= 0 || !KNOWN_TYPES.has(type)) return undefined;

  const name = head.slice(0, colon);
  const rawValues = head.slice(colon + 1).split(':');
  const values = type === 's' ? rawValues : rawValues.map(Number);
  if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) return undefined;

  let sampleRate = 1;
  let tags: Record<string, string> = {};
  for (const section of sections.slice(2)) {
    if (section.startsWith('@')) {
      const rate = Number(section.slice(1));
      if (!(rate > 0 && rate <= 1)) return undefined;
      sampleRate = rate;
    } else if (section.startsWith('#')) {
      tags = parseTags(section.slice(1));
    }
    // `c:` (container id) and `T` (timestamp) carry nothing the table shows.
  }
  return { name, type, values, sampleRate, tags };
}

function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of text.split(',')) {
    if (tag === '') continue;
    const colon = tag.indexOf(':');
    if (colon < 0) tags[tag] = '';
    else tags[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return tags;
}
