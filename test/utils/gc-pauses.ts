import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Records V8's collection pauses on this thread while open, for the failure notes of the CPU
 * specs: a pause runs inside whatever callback triggered it, so it is charged to that callback's
 * unit like its own work.
 */
export class GcPauses {
  private readonly pauses: PerformanceEntry[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    this.pauses.push(...list.getEntries());
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops recording; the last entries arrive a turn after their pause, so it waits one. */
  async close(): Promise<void> {
    await nextTurn();
    this.observer.disconnect();
  }

  /** The pauses that began between `from` and `to` (`performance.now()`), in ms. */
  totalMs(from: number, to: number): number {
    return this.pauses
      .filter((pause) => pause.startTime >= from && pause.startTime < to)
      .reduce((sum, pause) => sum + pause.duration, 0);
  }
}
