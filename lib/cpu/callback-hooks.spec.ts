import { AsyncLocalStorage, createHook, type HookCallbacks } from 'node:async_hooks';
import { stat } from 'node:fs';
import { itWhereNodeHas, NODE_FEATURES } from '../../test/utils/node-line';
import { acceptsTrackPromises, callbackHooks, storageOnContextFrame } from './callback-hooks';

/** Two promise reactions, and nothing else for the event loop to run. */
async function twoReactions(): Promise<void> {
  await null;
  await null;
}

/** Whether async_hooks leaves promise reactions alone when told `trackPromises: false`. */
async function trackPromisesHonoured(): Promise<boolean> {
  let seen = 0;
  const hook = createHook({ before: () => seen++, trackPromises: false } as HookCallbacks).enable();
  try {
    await twoReactions();
  } finally {
    hook.disable();
  }
  return seen === 0;
}

/**
 * One callback of each kind, each inside its own store; resolves once all ran, with the stores
 * `before` saw and the ones `after` closed (`before:<store>` / `after:<store>`), counted. `after`
 * is matched to its `before` by nesting, as the CPU engine does.
 */
async function hooksAroundEachKind(split: boolean): Promise<Record<string, number>> {
  const storage = new AsyncLocalStorage<string>();
  const seen: Record<string, number> = {};
  const open: Array<string | undefined> = [];
  const note = (side: string, store: string | undefined) => {
    if (store !== undefined) seen[`${side}:${store}`] = (seen[`${side}:${store}`] ?? 0) + 1;
  };
  const hooks = callbackHooks(
    () => {
      open.push(storage.getStore());
      note('before', storage.getStore());
    },
    () => note('after', open.pop()),
    split,
  );
  hooks.enable();
  try {
    await Promise.all([
      storage.run('timer', () => new Promise((resolve) => setTimeout(resolve, 1))),
      storage.run('immediate', () => new Promise((resolve) => setImmediate(resolve))),
      storage.run('tick', () => new Promise((resolve) => process.nextTick(resolve))),
      storage.run('io', () => new Promise((resolve) => stat(__filename, resolve))),
      storage.run('await', async () => {
        await null;
      }),
    ]);
  } finally {
    hooks.disable();
  }
  return seen;
}

const ONCE_EACH = Object.fromEntries(
  ['timer', 'immediate', 'tick', 'io', 'await'].flatMap((store) => [
    [`before:${store}`, 1],
    [`after:${store}`, 1],
  ]),
);

describe('callbackHooks', () => {
  it('knows whether async_hooks leaves promises alone when asked to', async () => {
    expect(acceptsTrackPromises()).toBe(await trackPromisesHonoured());
  });

  it('knows whether AsyncLocalStorage runs on AsyncContextFrame', () => {
    expect(storageOnContextFrame()).toBe(NODE_FEATURES.AsyncContextFrame);
  });

  it('with async_hooks alone, runs before and after once around each kind of callback, in its context', async () => {
    expect(await hooksAroundEachKind(false)).toEqual(ONCE_EACH);
  });

  itWhereNodeHas(
    'split promise hooks',
    'with promise reactions through v8.promiseHooks, runs before and after once around each kind of callback, in its context',
    async () => {
      expect(await hooksAroundEachKind(true)).toEqual(ONCE_EACH);
    },
  );

  it('calls nothing once disabled', async () => {
    let calls = 0;
    const hooks = callbackHooks(
      () => calls++,
      () => calls++,
    );
    hooks.enable();
    hooks.disable();
    await twoReactions();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(0);
  });
});
