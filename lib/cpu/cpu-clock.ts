import { performance } from 'node:perf_hooks';

/**
 * Measures the CPU time of a unit of work (a request, a measured call). `begin` opens a
 * measurement, `run` executes code as part of it (only attributed accounting needs that), and
 * `elapsedMs` reads it.
 */
export interface CpuClock<Mark = unknown> {
  begin(): Mark;
  run<T>(mark: Mark, work: () => T): T;
  /** `overlapping`: other units of work ran meanwhile (a clock may then trade precision for cost). */
  elapsedMs(mark: Mark, overlapping?: boolean): number;
  /** Releases what the clock holds (async hooks). */
  dispose(): void;
}

/**
 * The process's CPU time between begin and end. Exact for synchronous work; for overlapping
 * requests it also counts everything else the process did meanwhile.
 */
export class ProcessCpuClock implements CpuClock<NodeJS.CpuUsage> {
  begin(): NodeJS.CpuUsage {
    return process.cpuUsage();
  }

  run<T>(_mark: NodeJS.CpuUsage, work: () => T): T {
    return work();
  }

  elapsedMs(mark: NodeJS.CpuUsage): number {
    const delta = process.cpuUsage(mark);
    return (delta.user + delta.system) / 1000;
  }

  dispose(): void {}
}

/** How old a reading of the process CPU clock may be to start a request with it (ms). */
export const START_READING_MAX_AGE_MS = 0.05;
/** How old a reading may be to end a request that overlapped others (ms). */
export const OVERLAPPING_END_READING_MAX_AGE_MS = 1;

/**
 * The process's CPU time for requests, as `ProcessCpuClock`, but reading the clock (`getrusage`,
 * a few µs per call on a loaded VM) about once per request instead of twice:
 * - a request starts with the last reading if it is at most 0.05 ms old: typically the end of the
 *   request before it, so the work in between (reading and parsing this request) is counted here,
 *   and anything else by at most 0.05 ms of CPU;
 * - a request that ran alone ends with a fresh reading, so its figure stays exact to that bound;
 *   one that overlapped others may end with a reading up to 1 ms old: its figure already includes
 *   every concurrent request's CPU, and the reuse adds at most one more millisecond of it.
 */
export class SharedReadingProcessCpuClock implements CpuClock<number> {
  private readingMs = 0;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly startMaxAgeMs: number = START_READING_MAX_AGE_MS,
    private readonly overlappingEndMaxAgeMs: number = OVERLAPPING_END_READING_MAX_AGE_MS,
  ) {}

  begin(): number {
    return this.reading(this.startMaxAgeMs);
  }

  run<T>(_mark: number, work: () => T): T {
    return work();
  }

  elapsedMs(mark: number, overlapping = false): number {
    return this.reading(overlapping ? this.overlappingEndMaxAgeMs : 0) - mark;
  }

  dispose(): void {}

  private reading(maxAgeMs: number): number {
    const now = performance.now();
    if (now - this.readAt > maxAgeMs) {
      const usage = process.cpuUsage();
      this.readingMs = (usage.user + usage.system) / 1000;
      this.readAt = now;
    }
    return this.readingMs;
  }
}
