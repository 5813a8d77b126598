import { invalidOption } from '../statsd.messages';

/**
 * Small checks shared by the option resolver. Each throws an `Error` whose text names the option
 * and the value received.
 */

export function ensureInteger(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(invalidOption(option, `an integer from ${min} to ${max}`, value));
  }
  return value;
}

export function ensureNonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(invalidOption(option, 'a non-empty string', value));
  }
  return value;
}

export function ensureOneOf<T>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((entry) => (typeof entry === 'string' ? `"${entry}"` : String(entry)));
    throw new Error(invalidOption(option, `one of ${list.join(', ')}`, value));
  }
  return value as T;
}

export function ensureBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(invalidOption(option, 'a boolean', value));
  return value;
}

/**
 * Rejects the first key of `object` that is not in `known`, naming it as `<parent>.<key>` (or
 * `<key>` at the top level).
 */
export function ensureKnownKeys(
  parent: string,
  object: Record<string, unknown>,
  known: ReadonlySet<string>,
  expectation = 'a known option',
): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) {
      throw new Error(
        invalidOption(parent === '' ? key : `${parent}.${key}`, expectation, object[key]),
      );
    }
  }
}

export function ensurePlainObject(option: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(invalidOption(option, 'an object', value));
  }
  return value as Record<string, unknown>;
}
