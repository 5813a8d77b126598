type Method = (this: unknown, ...args: never[]) => unknown;

/**
 * Replaces `targetClass.prototype[name]` by `wrap(original)`, once per process: `marker` (a `Symbol.for` key,
 * shared by the CJS and ESM builds) records that it was done, so a second registration or a second
 * copy of this library never wraps twice.
 *
 * @returns false when there is no such method (a Nest version that changed it).
 */
export function patchPrototypeOnce<M extends Method>(
  targetClass: unknown,
  name: string,
  marker: symbol,
  wrap: (original: M) => M,
): boolean {
  const prototype = (targetClass as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
  const original = prototype?.[name];
  if (prototype === undefined || typeof original !== 'function') return false;
  if (prototype[marker] === true) return true;
  Object.defineProperty(prototype, name, { configurable: true, writable: true, value: wrap(original as M) });
  Object.defineProperty(prototype, marker, { value: true });
  return true;
}
