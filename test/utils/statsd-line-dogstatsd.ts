import {
  addTag,
  FieldError,
  parseName,
  parseSampleRate,
  parseType,
  parseValues,
} from './statsd-line-fields';
import type { MetricType, ParsedMetric } from './statsd-metric';

const DOGSTATSD_TYPES: readonly MetricType[] = ['c', 'g', 'ms', 'h', 'd', 's'];

/**
 * Parses one DogStatsD metric line: `name:v1[:v2...]|type[|@rate][|#k:v,tag][|c:id][|T123]`.
 * Optional fields may come in any order, each at most once. Throws a {@link FieldError}.
 */
export function parseDogStatsdFields(line: string): ParsedMetric {
  const [head = '', rawType, ...extras] = line.split('|');
  const colon = head.indexOf(':');
  if (colon < 0) throw new FieldError('missing ":" between name and value');
  if (rawType === undefined) throw new FieldError('missing "|type"');
  const type = parseType(rawType, DOGSTATSD_TYPES);
  const metric: ParsedMetric = {
    name: parseName(head.slice(0, colon)),
    values: parseValues(head.slice(colon + 1).split(':'), type),
    type,
    tags: {},
  };
  const seen = new Set<string>();
  for (const field of extras) {
    const kind = fieldKind(field);
    if (seen.has(kind)) throw new FieldError(`field "${kind}" appears twice`);
    seen.add(kind);
    applyField(metric, kind, field);
  }
  return metric;
}

type FieldKind = '@' | '#' | 'c:' | 'T';

function fieldKind(field: string): FieldKind {
  if (field.startsWith('@')) return '@';
  if (field.startsWith('#')) return '#';
  if (field.startsWith('c:')) return 'c:';
  if (field.startsWith('T')) return 'T';
  throw new FieldError(`stray field ${JSON.stringify(field)}`);
}

function applyField(metric: ParsedMetric, kind: FieldKind, field: string): void {
  const body = field.slice(kind.length);
  switch (kind) {
    case '@':
      metric.sampleRate = parseSampleRate(field);
      return;
    case '#':
      parseDogTags(body, metric.tags);
      return;
    case 'c:':
      if (body.length === 0) throw new FieldError('empty container id');
      metric.containerId = body;
      return;
    case 'T':
      if (!/^[1-9]\d*$/.test(body))
        throw new FieldError(`timestamp ${JSON.stringify(body)} is not a positive integer`);
      metric.timestamp = Number(body);
      return;
  }
}

function parseDogTags(body: string, tags: Record<string, string>): void {
  if (body.length === 0) throw new FieldError('empty tag list after "#"');
  for (const tag of body.split(',')) {
    if (tag.length === 0) throw new FieldError('empty tag in tag list');
    if (/[\s\p{Cc}]/u.test(tag)) throw new FieldError(`tag ${JSON.stringify(tag)} has whitespace`);
    const colon = tag.indexOf(':');
    if (colon < 0) addTag(tags, tag, '');
    else addTag(tags, tag.slice(0, colon), tag.slice(colon + 1));
  }
}
