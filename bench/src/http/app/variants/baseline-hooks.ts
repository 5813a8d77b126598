import { createHook } from 'node:async_hooks';
import { promiseHooks } from 'node:v8';
import type { VariantName, VariantSetup } from '../variant.types';

/**
 * When and which empty promise hooks a `baseline-hooks-*` process switches on, nothing else:
 * - `once`: an async_hooks hook around one await, before the app is created;
 * - `late`: the same once the app served {@link LATE_AFTER_REQUESTS} requests (its code is hot);
 * - `warm-async`: an async_hooks hook from before the app is created until it served
 *   {@link WARM_REQUESTS} requests (as the default's first, fully measured, requests);
 * - `warm-promise`: the same with `v8.promiseHooks`, which leave promises untouched where
 *   async_hooks give each one two properties (its async ids);
 * - `windows-async` / `windows-promise`: either kind switched on for {@link WINDOW_MS} once a
 *   second, from the start (as the default's sampling windows).
 *
 * Installing promise hooks of either kind invalidates V8's promise-hook protector for good:
 * optimized code stops inlining promise operations, and the functions that did are deoptimized
 * (`--trace-deopt`: "dependent property cell changed" on Nest's and Express's async functions).
 */
export type HookVariant = Extract<VariantName, `baseline-hooks-${string}`>;

const LATE_AFTER_REQUESTS = 10_000;
const WARM_REQUESTS = 2_000;
const WINDOW_MS = 4;

export function setup(variant: HookVariant): VariantSetup {
  if (variant === 'baseline-hooks-once')
    return { beforeCreate: switchHooksOnce, wirePerRequest: [] };
  if (variant === 'baseline-hooks-late') {
    return {
      afterListen: (served) => whenServed(served, LATE_AFTER_REQUESTS, switchHooksOnce),
      wirePerRequest: [],
    };
  }
  const start = variant.endsWith('-async') ? startAsyncHooks : startPromiseHooks;
  if (variant.startsWith('baseline-hooks-windows-')) {
    return { beforeCreate: () => openWindowsEverySecond(start), wirePerRequest: [] };
  }
  let stop: () => void = () => undefined;
  return {
    beforeCreate: () => {
      stop = start();
    },
    afterListen: (served) => whenServed(served, WARM_REQUESTS, () => stop()),
    wirePerRequest: [],
  };
}

/** Runs `action` once `served()` reaches `count` (polled: nothing added to the request path). */
function whenServed(served: () => number, count: number, action: () => unknown): void {
  const poll = setInterval(() => {
    if (served() < count) return;
    clearInterval(poll);
    void action();
  }, 20);
}

function openWindowsEverySecond(start: () => () => void): void {
  setInterval(() => {
    const stop = start();
    setTimeout(stop, WINDOW_MS);
  }, 1000).unref();
}

async function switchHooksOnce(): Promise<void> {
  const stop = startAsyncHooks();
  await new Promise<void>((resolve) => setImmediate(resolve));
  await Promise.resolve();
  stop();
}

function startAsyncHooks(): () => void {
  const hook = createHook({ before: () => undefined, after: () => undefined }).enable();
  return () => hook.disable();
}

function startPromiseHooks(): () => void {
  const stops = [promiseHooks.onBefore(() => undefined), promiseHooks.onAfter(() => undefined)];
  return () => stops.forEach((stopHook) => stopHook());
}
