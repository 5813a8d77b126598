import { performance } from 'node:perf_hooks';

/** What the attributed engine reads at each switch of owner, in milliseconds. */
export interface SliceClock {
  readonly read: () => number;
  /**
   * `thread-cpu`: the event-loop thread's CPU time (`process.threadCpuUsage`); `busy-wall`: the
   * monotonic wall time of the slice, which also counts time the machine took the core away.
   */
  readonly source: 'thread-cpu' | 'busy-wall';
}

/** How long the probe may spin at most, once per process. */
const PROBE_BUDGET_MS = 1;
/**
 * Distinct readings the probe must see within its budget: 20 in 1 ms is a resolution of 50 µs or
 * better. A tick-accounted kernel (many VMs) moves the per-thread clock in 1–4 ms steps, which
 * would read 0 for a 2 ms request one time and 4 the next.
 */
const FINE_READINGS = 20;

/**
 * Counts how many times `read` changes while `now` advances by `budgetMs` (stops early once it
 * has seen `enough`). Spins: the clock under test only moves while the thread works.
 */
export function countClockSteps(
  read: () => number,
  budgetMs: number,
  enough: number,
  now: () => number = () => performance.now(),
): number {
  const end = now() + budgetMs;
  let last = read();
  let steps = 0;
  while (steps < enough && now() < end) {
    const value = read();
    if (value !== last) {
      steps++;
      last = value;
    }
  }
  return steps;
}

type ThreadCpuUsage = () => { user: number; system: number };

function threadCpuReader(): (() => number) | undefined {
  const threadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  if (typeof threadCpuUsage !== 'function') return undefined;
  return () => {
    const usage = threadCpuUsage.call(process);
    return (usage.user + usage.system) / 1000;
  };
}

/**
 * The clock for a slice, chosen for its resolution rather than its name: the per-thread CPU
 * clock (Node 22.19+, 23.9+) only where it proves fine-grained, else `performance.now()`.
 */
export function chooseSliceClock(threadCpu = threadCpuReader()): SliceClock {
  if (
    threadCpu !== undefined &&
    countClockSteps(threadCpu, PROBE_BUDGET_MS, FINE_READINGS) >= FINE_READINGS
  ) {
    return { read: threadCpu, source: 'thread-cpu' };
  }
  return { read: () => performance.now(), source: 'busy-wall' };
}
