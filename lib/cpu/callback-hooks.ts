import { AsyncLocalStorage, createHook, type HookCallbacks } from 'node:async_hooks';
import { promiseHooks } from 'node:v8';

/** `before` and `after` around every callback the event loop runs, switched on only when needed. */
export interface CallbackHooks {
  enable(): void;
  disable(): void;
}

/**
 * Hooks around every callback: timers, immediates, ticks and I/O through async_hooks, promise
 * reactions (each `await` that resumes, each `then` handler) through `v8.promiseHooks` where
 * the two can be split (see {@link canSplitPromiseHooks}), else through async_hooks too.
 *
 * The split is cheaper: async_hooks follows a promise by giving it two properties (its async ids)
 * and pushing them on its own stack at each reaction, which `v8.promiseHooks` does not. Node 24,
 * every request accounted, Express hello: 46,000 instructions per request for the accounting
 * instead of 60,000, and the application's promises keep V8's shape for promises
 * (bench/TARGETS-NOTES.md, ninth session).
 */
export function callbackHooks(
  before: () => void,
  after: () => void,
  split = canSplitPromiseHooks(),
): CallbackHooks {
  if (!split) {
    const hook = createHook({ before, after });
    return { enable: () => void hook.enable(), disable: () => void hook.disable() };
  }
  const otherCallbacks = createHook({ before, after, trackPromises: false } as HookCallbacks);
  let stopReactionHooks: Array<ReturnType<typeof promiseHooks.onBefore>> = [];
  return {
    enable() {
      otherCallbacks.enable();
      stopReactionHooks = [promiseHooks.onBefore(before), promiseHooks.onAfter(after)];
    },
    disable() {
      otherCallbacks.disable();
      for (const stop of stopReactionHooks) stop();
      stopReactionHooks = [];
    },
  };
}

/**
 * Whether promise reactions can be left to `v8.promiseHooks`: async_hooks must take
 * `trackPromises: false` (Node 26, and 24 since the option's backport), or every reaction would
 * be seen twice; and AsyncLocalStorage must keep its stores in V8's continuation data, which V8
 * restores before it calls a promise hook, or a hook could not tell whose reaction runs.
 */
export function canSplitPromiseHooks(): boolean {
  return acceptsTrackPromises() && storageOnContextFrame();
}

/** Whether async_hooks knows the `trackPromises` option. */
export function acceptsTrackPromises(): boolean {
  try {
    // Versions with the option validate it as a boolean; older ones ignore a key they do not know.
    createHook({ trackPromises: 'unknown' } as unknown as HookCallbacks);
    return false;
  } catch {
    return true;
  }
}

/**
 * Whether AsyncLocalStorage runs on AsyncContextFrame (Node 24+ unless `--no-async-context-frame`)
 * rather than on async_hooks, whose storage is the one with a `_propagate` method (its `init`
 * hook). The spec checks both answers against the Node line on each line CI runs.
 */
export function storageOnContextFrame(): boolean {
  return !('_propagate' in AsyncLocalStorage.prototype);
}
