import { parseDogStatsdFields } from './statsd-line-dogstatsd';
import {
  addTag,
  FieldError,
  parseName,
  parseSampleRate,
  parseType,
  parseValues,
} from './statsd-line-fields';
import { StatsdLineError } from './statsd-metric';
import type { MetricType, ParsedMetric, StatsdFlavor } from './statsd-metric';

export { StatsdLineError } from './statsd-metric';
export type { MetricType, ParsedMetric, StatsdFlavor } from './statsd-metric';

const ETSY_TYPES: readonly MetricType[] = ['c', 'ms', 'g', 's'];
const TELEGRAF_TYPES: readonly MetricType[] = ['c', 'g', 'ms', 'h', 'd', 's'];

/**
 * Parses one DogStatsD line into one metric; throws {@link StatsdLineError}.
 * @example parseDogStatsdLine('api.hit:1|c|#env:prod') // { name: 'api.hit', values: [1], type: 'c', tags: { env: 'prod' } }
 */
export function parseDogStatsdLine(line: string): ParsedMetric {
  return explain(line, 'dogstatsd', () => parseDogStatsdFields(line));
}

/**
 * Parses one Etsy StatsD line `name:v|type[|@rate][:v|type[|@rate]...]`: one metric per
 * `:` group, no tags. Throws {@link StatsdLineError}.
 */
export function parseEtsyLine(line: string): ParsedMetric[] {
  return explain(line, 'statsd', () => {
    if (line.includes('|#')) throw new FieldError('tags ("|#") are not part of Etsy StatsD');
    const [name = '', ...groups] = line.split(':');
    return parseGroups(parseName(name), {}, groups, ETSY_TYPES);
  });
}

/**
 * Parses one Telegraf line `name[,k=v...]:v|type[|@rate][:v|type...]` (Influx-style tags).
 * Like Telegraf itself it splits on every `:`, so a `:` in a tag value is an error.
 * Throws {@link StatsdLineError}.
 */
export function parseTelegrafLine(line: string): ParsedMetric[] {
  return explain(line, 'telegraf', () => {
    const [head = '', ...groups] = line.split(':');
    const [name = '', ...pairs] = head.split(',');
    const tags: Record<string, string> = {};
    for (const pair of pairs) {
      const [key = '', value, ...rest] = pair.split('=');
      if (value === undefined || rest.length > 0 || value.length === 0) {
        throw new FieldError(`tag ${JSON.stringify(pair)} is not "key=value"`);
      }
      if (/[\s\p{Cc}]/u.test(pair))
        throw new FieldError(`tag ${JSON.stringify(pair)} has whitespace`);
      addTag(tags, key, value);
    }
    return parseGroups(parseName(name), tags, groups, TELEGRAF_TYPES);
  });
}

/** Parses one line with the grammar of `flavor`; always returns a list (DogStatsD: one item). */
export function parseLine(line: string, flavor: StatsdFlavor): ParsedMetric[] {
  switch (flavor) {
    case 'dogstatsd':
      return [parseDogStatsdLine(line)];
    case 'statsd':
      return parseEtsyLine(line);
    case 'telegraf':
      return parseTelegrafLine(line);
  }
}

/**
 * Parses a whole datagram: lines split on `\n`, one trailing newline allowed, no empty lines
 * in between. Returns every metric in order; throws {@link StatsdLineError} at the first bad line.
 */
export function parseDatagram(text: string, flavor: StatsdFlavor): ParsedMetric[] {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.flatMap((line) => parseLine(line, flavor));
}

/** Like {@link parseLine}, but returns the error instead of throwing it. */
export function tryParseLine(
  line: string,
  flavor: StatsdFlavor,
): { ok: true; metrics: ParsedMetric[] } | { ok: false; error: StatsdLineError } {
  try {
    return { ok: true, metrics: parseLine(line, flavor) };
  } catch (error) {
    if (error instanceof StatsdLineError) return { ok: false, error };
    throw error;
  }
}

function parseGroups(
  name: string,
  tags: Record<string, string>,
  groups: readonly string[],
  allowed: readonly MetricType[],
): ParsedMetric[] {
  if (groups.length === 0) throw new FieldError('missing ":" between name and value');
  return groups.map((group) => {
    const [value = '', rawType, rate, ...stray] = group.split('|');
    if (rawType === undefined) throw new FieldError(`missing "|type" in ${JSON.stringify(group)}`);
    if (stray.length > 0) throw new FieldError(`stray field ${JSON.stringify(stray[0])}`);
    const type = parseType(rawType, allowed);
    const metric: ParsedMetric = {
      name,
      values: parseValues([value], type),
      type,
      tags: { ...tags },
    };
    if (rate !== undefined) metric.sampleRate = parseSampleRate(rate);
    return metric;
  });
}

function explain<T>(line: string, flavor: StatsdFlavor, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FieldError) throw new StatsdLineError(line, error.message, flavor);
    throw error;
  }
}
