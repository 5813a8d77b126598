import type { StatsdFlavor } from '../options/statsd-options.interface';

/**
 * Sanitizing of everything that reaches the wire, done here rather than trusted to hot-shots
 * (whose rules changed between versions and do not cover prefixes, set values or numbers).
 * Whatever the input, the output cannot end a line, start a field, or add a tag.
 */

/** Datadog's limit for metric names and for a whole `key:value` tag. */
export const MAX_NAME_LENGTH = 200;
export const MAX_TAG_LENGTH = 200;
/** Values beyond this are not representable without an exponent, which no server parses. */
export const MAX_ABS_VALUE = 1e15;

const NAME_UNSAFE = /[^A-Za-z0-9_.-]/g;
const DOG_TAG_KEY_UNSAFE = /[^A-Za-z0-9_.\-/]/g;
// DogStatsD values may hold ':' (the key ends at the first one) but nothing that separates fields,
// tags or lines, and no whitespace or control characters.
const DOG_TAG_VALUE_UNSAFE = /[|,#@\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const INFLUX_TAG_UNSAFE = /[^A-Za-z0-9_.\-/]/g;
const SEGMENT_UNSAFE = /[^A-Za-z0-9_-]/g;
const SET_VALUE_UNSAFE = /[:|,#@\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** A metric name: `[A-Za-z0-9_.-]`, no empty segments, at most 200 characters; '' if nothing is left. */
export function sanitizeName(name: string): string {
  const cleaned = name.replace(NAME_UNSAFE, '_').replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
  return truncate(cleaned, MAX_NAME_LENGTH).replace(/\.+$/, '');
}

/** Longest tag key kept, so that a tag cut at 200 characters always keeps its separator and value. */
export const MAX_TAG_KEY_LENGTH = 100;

/** One tag as it appears on the wire for the flavor: `key:value`, `key=value` or `key_value`. */
export function formatTag(flavor: StatsdFlavor, rawKey: string, value: string): string {
  const key = truncate(rawKey, MAX_TAG_KEY_LENGTH);
  switch (flavor) {
    case 'dogstatsd': {
      const safeKey = orPlaceholder(key.replace(DOG_TAG_KEY_UNSAFE, '_'));
      const safeValue = orPlaceholder(value.replace(DOG_TAG_VALUE_UNSAFE, '_'));
      return truncate(`${safeKey}:${safeValue}`, MAX_TAG_LENGTH);
    }
    case 'telegraf': {
      const safeKey = orPlaceholder(key.replace(INFLUX_TAG_UNSAFE, '_'));
      const safeValue = orPlaceholder(value.replace(INFLUX_TAG_UNSAFE, '_'));
      return truncate(`${safeKey}=${safeValue}`, MAX_TAG_LENGTH);
    }
    case 'statsd': {
      const safeKey = orPlaceholder(key.replace(SEGMENT_UNSAFE, '_'));
      const safeValue = orPlaceholder(value.replace(SEGMENT_UNSAFE, '_'));
      return truncate(`${safeKey}_${safeValue}`, MAX_TAG_LENGTH);
    }
  }
}

/** A member of a StatsD set: cannot contain a field, tag or line separator. */
export function sanitizeSetMember(value: string): string {
  return orPlaceholder(truncate(value.replace(SET_VALUE_UNSAFE, '_'), MAX_TAG_LENGTH));
}

/** True when the number can be written in plain decimal notation. */
export function isWireSafeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_ABS_VALUE;
}

/** Plain decimal text of a value, rounded to microsecond-of-a-millisecond precision. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half: a lone surrogate is not valid UTF-8.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

function orPlaceholder(text: string): string {
  return text === '' ? '_' : text;
}
