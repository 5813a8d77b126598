import type { MetricType } from './statsd-metric';

/** A field that breaks the grammar; the flavor parser adds the line and flavor to the message. */
export class FieldError extends Error {
  override name = 'FieldError';
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Whitespace, control characters and the two separators every flavor splits on.
const NAME_FORBIDDEN = /[\s\p{Cc}:|]/u;

/** Returns `raw` when it is a usable metric name, throws a {@link FieldError} otherwise. */
export function parseName(raw: string): string {
  if (raw.length === 0) throw new FieldError('empty metric name');
  const bad = NAME_FORBIDDEN.exec(raw);
  if (bad) throw new FieldError(`metric name contains ${JSON.stringify(bad[0])}`);
  return raw;
}

/** Returns `raw` as a metric type when it is one of `allowed`. */
export function parseType(raw: string, allowed: readonly MetricType[]): MetricType {
  const found = allowed.find((type) => type === raw);
  if (found === undefined) {
    throw new FieldError(
      `unknown metric type ${JSON.stringify(raw)} (expected ${allowed.join(', ')})`,
    );
  }
  return found;
}

/** Parses a plain decimal number (no hex, `NaN` or `Infinity`); timings must not be negative. */
export function parseNumber(raw: string, type: MetricType): number {
  if (!DECIMAL.test(raw))
    throw new FieldError(`value ${JSON.stringify(raw)} is not a decimal number`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new FieldError(`value ${JSON.stringify(raw)} is not finite`);
  if (type === 'ms' && value < 0) throw new FieldError(`timing ${raw} is negative`);
  return value;
}

/** Parses the values of one metric: strings for sets, numbers for every other type. */
export function parseValues(raw: readonly string[], type: MetricType): number[] | string[] {
  if (type !== 's') return raw.map((value) => parseNumber(value, type));
  return raw.map((member) => {
    if (member.length === 0) throw new FieldError('empty set member');
    if (/[\s\p{Cc}]/u.test(member))
      throw new FieldError(`set member ${JSON.stringify(member)} has whitespace`);
    return member;
  });
}

/** Parses `@rate`; the rate must be in (0, 1]. */
export function parseSampleRate(raw: string): number {
  if (!raw.startsWith('@')) throw new FieldError(`expected "@rate", got ${JSON.stringify(raw)}`);
  const text = raw.slice(1);
  if (!DECIMAL.test(text))
    throw new FieldError(`sample rate ${JSON.stringify(text)} is not a number`);
  const rate = Number(text);
  if (!(rate > 0 && rate <= 1)) throw new FieldError(`sample rate ${text} is outside (0, 1]`);
  return rate;
}

/** Adds `key → value` to `tags`, refusing empty keys and duplicate keys. */
export function addTag(tags: Record<string, string>, key: string, value: string): void {
  if (key.length === 0) throw new FieldError('tag with an empty key');
  if (Object.prototype.hasOwnProperty.call(tags, key)) {
    throw new FieldError(`duplicate tag key ${JSON.stringify(key)}`);
  }
  // defineProperty, so a hostile "__proto__" key is stored as data instead of changing the prototype.
  Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
}
