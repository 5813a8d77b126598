import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Known amounts of CPU work for the CPU-time specs. The time burned is the busy loop's own
 * `performance.now()` time: the clock the library reads where the per-thread CPU clock is coarse
 * or missing, so time the OS takes the thread away counts the same on both sides.
 */

/** Busy-loops for about `ms` and returns the time it actually spent. */
export function burn(ms: number): number {
  const start = performance.now();
  let now = start;
  while (now - start < ms) now = performance.now();
  return now - start;
}

/** Burns `slices` × `sliceMs`, yielding to the event loop between slices so units interleave. */
export async function burnInSlices(slices: number, sliceMs: number): Promise<number> {
  let burned = 0;
  for (let slice = 0; slice < slices; slice++) {
    if (slice > 0) await yieldToLoop();
    burned += burn(sliceMs);
  }
  return burned;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * How long this thread has waited, runnable, for a core (Linux `/proc/thread-self/schedstat`, ms):
 * the time the machine took the core away from it. `undefined` where the kernel does not say.
 */
export function runQueueWaitMs(): number | undefined {
  try {
    const waitNs = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(waitNs) ? waitNs / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
