import type { StatsdRuntime } from '../runtime/statsd-runtime';
import { toTagPairs } from '../runtime/statsd-runtime';
import type { Tags } from '../options/statsd-options.interface';
import { ACTIVE_RUNTIME } from '../statsd.constants';
import { OutcomeSeries, timedCall } from './timed-call';

const MEASURED = Symbol.for('nestjs-statsd:measured');

/**
 * Wraps a method so each call is timed into the active runtime. A `Proxy` keeps the function's
 * `name` and `length`, and every metadata entry of the original is copied onto it so other
 * decorators (guards' roles, Swagger, `@OnEvent`) see the same method in either order.
 * Before any module is created (or after it closed) calls go straight to the original.
 */
export function wrapMeasuredMethod<F extends (...args: never[]) => unknown>(original: F, name: string, tags: Tags | undefined): F {
  if ((original as unknown as Record<symbol, unknown>)[MEASURED]) return original;
  const tagPairs = toTagPairs(tags);
  let cached: OutcomeSeries | undefined;
  const wrapped = new Proxy(original, {
    apply(target, thisArg, args) {
      const runtime = (globalThis as unknown as Record<symbol, StatsdRuntime | undefined>)[ACTIVE_RUNTIME];
      if (runtime === undefined) return Reflect.apply(target, thisArg, args);
      if (cached?.runtime !== runtime) cached = new OutcomeSeries(runtime, 'decorator', name, tagPairs);
      return timedCall(cached, () => Reflect.apply(target, thisArg, args));
    },
    get(target, property, receiver) {
      return property === MEASURED ? true : Reflect.get(target, property, receiver);
    },
  });
  for (const key of Reflect.getMetadataKeys(original)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, original), wrapped);
  }
  return wrapped;
}
