import type { Tags } from '../options/statsd-options.interface';
import { wrapMeasuredMethod } from './wrap-method';

/** Options of `@Measure()`. */
export interface MeasureOptions {
  /**
   * Tags added to the method's metrics (after the global tags, before `outcome`).
   * @default {}
   */
  tags?: Tags;
}

/**
 * Times a method (or, on a class, every method of its prototype): wall time as
 * `<prefix>.<Class>.<method>` (or `<prefix>.<name>`) and CPU time as `….cpu`, in ms, tagged
 * `outcome:success|error|cancelled`. Works on sync methods, methods returning a Promise (timed
 * until it settles) and Observables (timed from subscribe to complete or error), on any provider
 * or controller, including request-scoped ones. `this`, `name`, `length`, thrown errors and
 * other decorators' metadata are kept.
 *
 * @example
 * @Measure('orders.checkout', { tags: { channel: 'web' } })
 * async checkout(order: Order) { ... }
 */
export function Measure(name?: string, options: MeasureOptions = {}): MethodDecorator & ClassDecorator {
  return ((target: object, propertyKey?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (propertyKey === undefined) {
      measureEveryMethod(target as new (...args: never[]) => unknown, name, options);
      return undefined;
    }
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      throw new TypeError(`@Measure() can only decorate methods (got "${String(propertyKey)}").`);
    }
    const owner = typeof target === 'function' ? (target as { name: string }) : (target.constructor as { name: string });
    descriptor.value = wrapMeasuredMethod(descriptor.value, name ?? `${owner.name}.${String(propertyKey)}`, options.tags);
    return descriptor;
  }) as MethodDecorator & ClassDecorator;
}

function measureEveryMethod(target: new (...args: never[]) => unknown, prefix: string | undefined, options: MeasureOptions): void {
  const prototype = target.prototype as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(prototype)) {
    if (key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    if (descriptor === undefined || typeof descriptor.value !== 'function') continue;
    const name = `${prefix ?? target.name}.${key}`;
    Object.defineProperty(prototype, key, { ...descriptor, value: wrapMeasuredMethod(descriptor.value, name, options.tags) });
  }
}
