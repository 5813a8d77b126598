import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Total time allowed before rejecting. @default 2000 */
  timeoutMs?: number;
  /** What is awaited, for the timeout message ("the daemon to count 3 hits"). */
  description: string;
  /** Longest pause between two checks; pauses start at one event-loop turn and double. @default 50 */
  maxIntervalMs?: number;
  /** Stops waiting early: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves once `condition` returns true, for states that emit no event (a daemon's aggregate
 * polled through its management port). Checks right away, then after pauses that start at one
 * event-loop turn and double up to `maxIntervalMs`. A check that throws counts as "not yet";
 * the timeout message names the description, the number of checks and the last error.
 * An aborted `signal` rejects at the next check.
 * @example await waitFor(async () => (await mgmt.counters())['hits'] === 3, { description: 'hits = 3' });
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxIntervalMs = options.maxIntervalMs ?? 50;
  const deadline = performance.now() + timeoutMs;
  let checks = 0;
  let lastError: unknown;
  let pauseMs = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    checks++;
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const left = deadline - performance.now();
    if (left <= 0) break;
    if (pauseMs === 0) await nextTurn();
    else await sleep(Math.min(pauseMs, left));
    pauseMs = pauseMs === 0 ? 1 : Math.min(pauseMs * 2, maxIntervalMs);
  }
  const cause = lastError === undefined ? '' : `; last check threw: ${describe(lastError)}`;
  throw new Error(
    `waitFor: timed out after ${timeoutMs} ms waiting for ${options.description} (${checks} checks${cause})`,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
