import { canSplitPromiseHooks } from '../../lib/cpu/callback-hooks';

/**
 * Tests of code paths that exist on some Node lines only. The test's name starts with the
 * feature it needs (`[needs process.threadCpuUsage]`), and elsewhere it is reported as skipped
 * under that name, never left out silently.
 */

/** Features that differ between the Node lines CI runs (20, 22, 24, 26). */
export const NODE_FEATURES = {
  /** Node 22.19+, 23.9+. */
  'process.threadCpuUsage':
    typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage === 'function',
  /**
   * AsyncLocalStorage on AsyncContextFrame: the default from Node 24 unless turned off with
   * `--no-async-context-frame`.
   */
  AsyncContextFrame:
    Number(process.versions.node.split('.')[0]) >= 24 &&
    ![...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes(
      '--no-async-context-frame',
    ),
  /**
   * Promise reactions hooked through `v8.promiseHooks`, the other callbacks through async_hooks
   * without its promise tracking (`trackPromises: false`, on AsyncContextFrame): Node 26, and 24
   * since the option's backport. Its own spec checks the answer against the behaviour.
   */
  'split promise hooks': canSplitPromiseHooks(),
} as const;

export type NodeFeature = keyof typeof NODE_FEATURES;

/** `it` when this Node has `feature`, `it.skip` otherwise; the name says what it needs. */
export function itWhereNodeHas(
  feature: NodeFeature,
  name: string,
  test: () => unknown,
  timeout?: number,
): void {
  const runner = NODE_FEATURES[feature] ? it : it.skip;
  runner(`[needs ${feature}] ${name}`, test as jest.ProvidesCallback, timeout);
}
