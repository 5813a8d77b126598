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
 * How long the machine has kept this thread off a core while it could run, so far (ms), or
 * `undefined` where Linux does not say. Two ways, and a wall-clock slice counts both:
 * - this kernel ran another thread: the time this one waited in the run queue
 *   (`/proc/thread-self/schedstat`, ns);
 * - the hypervisor ran another guest while this virtual machine wanted its CPUs: their `steal`
 *   time (`/proc/stat`, every CPU, in ticks of 10 ms). The run queue does not see it, since the
 *   guest believes the thread was running. A CI run read 1.4–3.2 ms for each waiting request of
 *   one round (0.4 in the others) with no run-queue wait; steal was not read then.
 */
export function timeTakenAwayMs(): number | undefined {
  try {
    const waitMs = runQueueWaitMsOf(readFileSync('/proc/thread-self/schedstat', 'utf8'));
    const stealMs = stealMsOf(readFileSync('/proc/stat', 'utf8'));
    return waitMs === undefined || stealMs === undefined ? undefined : waitMs + stealMs;
  } catch {
    return undefined;
  }
}

/** The run-queue wait (ms) in a `schedstat` file: its second field, in ns. */
export function runQueueWaitMsOf(schedstat: string): number | undefined {
  const waitNs = Number(schedstat.trim().split(/\s+/)[1]);
  return Number.isFinite(waitNs) ? waitNs / 1e6 : undefined;
}

/** Linux reports `/proc/stat` in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const MS_PER_TICK = 10;

/** The steal time (ms) of every CPU together in `/proc/stat`: the 8th figure of its `cpu` line. */
export function stealMsOf(procStat: string): number | undefined {
  const total = procStat.split('\n').find((line) => line.startsWith('cpu '));
  const steal = Number(total?.trim().split(/\s+/)[8]);
  return Number.isFinite(steal) ? steal * MS_PER_TICK : undefined;
}
