import { createHook } from 'node:async_hooks';
import type { VariantSetup } from '../variant.types';

/**
 * The baseline app in a process where an async_hooks hook with `before`/`after` was enabled once
 * (around one await) and disabled before the app starts: isolates what installing V8's promise
 * hooks leaves behind after they are removed (V8 invalidates its promise-hook protector for good).
 */
export function setup(): VariantSetup {
  return {
    beforeCreate: async () => {
      const hook = createHook({ before: () => undefined, after: () => undefined });
      hook.enable();
      await new Promise<void>((resolve) => setImmediate(resolve));
      await Promise.resolve();
      hook.disable();
    },
    wirePerRequest: [],
  };
}
