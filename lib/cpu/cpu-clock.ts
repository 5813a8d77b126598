import { performance } from 'node:perf_hooks';

/**
 * Measures the CPU time of a unit of work (a request, a measured call). `begin` opens a
 * measurement, `run` executes code as part of it (only attributed accounting needs that), and
 * `elapsedMs` reads it.
 */
export interface CpuClock<Mark = unknown> {
  /** `overlapping`: other units of work are in flight (a clock may then trade precision for cost). */
  begin(overlapping?: boolean): Mark;
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

/** How old a reading may be to start a request that ran alone so far (ms). */
export const START_READING_MAX_AGE_MS = 0.05;
/** How old a reading may be to start or end a request that overlaps others (ms). */
export const OVERLAPPING_READING_MAX_AGE_MS = 1;
/** Readings closer than this are too close to measure the CPU rate from (ms of wall time). */
const MIN_RATE_WINDOW_MS = 0.2;

/**
 * The process's CPU time for requests, as `ProcessCpuClock`, but reading the clock (`getrusage`,
 * a few µs per call on a loaded VM, a tenth of a small Fastify request) far less than twice per
 * request. Between readings the clock is extrapolated from the last one at the CPU rate measured
 * between the last two (a `performance.now()` call, ≈60 ns):
 * - a request that runs alone ends with a fresh reading, and starts with one at most 0.05 ms old
 *   (typically the end of the request before it), so its figure stays exact to that bound;
 * - a request that overlaps others starts and ends with readings at most 1 ms old: its figure is
 *   the process's CPU over its lifetime (everything concurrent included, as with fresh readings)
 *   give or take how far the CPU rate strayed from the measured one within that millisecond.
 *   Under load that is one `getrusage` per millisecond instead of one or two per request.
 */
export class SharedReadingProcessCpuClock implements CpuClock<number> {
  private readingMs = 0;
  private readAt = Number.NEGATIVE_INFINITY;
  private rateReadingMs = 0;
  private rateReadAt = Number.NEGATIVE_INFINITY;
  /** CPU ms per wall ms between the last two readings at least MIN_RATE_WINDOW_MS apart. */
  private cpuRate = 0;

  constructor(
    private readonly startMaxAgeMs: number = START_READING_MAX_AGE_MS,
    private readonly overlappingMaxAgeMs: number = OVERLAPPING_READING_MAX_AGE_MS,
  ) {}

  begin(overlapping = false): number {
    return this.reading(overlapping ? this.overlappingMaxAgeMs : this.startMaxAgeMs);
  }

  run<T>(_mark: number, work: () => T): T {
    return work();
  }

  elapsedMs(mark: number, overlapping = false): number {
    // Extrapolated marks may sit a little above a later real reading: never report negative CPU.
    return Math.max(0, this.reading(overlapping ? this.overlappingMaxAgeMs : 0) - mark);
  }

  dispose(): void {}

  private reading(maxAgeMs: number): number {
    const now = performance.now();
    const age = now - this.readAt;
    if (age <= maxAgeMs) return this.readingMs + age * this.cpuRate;
    const usage = process.cpuUsage();
    this.readingMs = (usage.user + usage.system) / 1000;
    this.readAt = now;
    if (now - this.rateReadAt >= MIN_RATE_WINDOW_MS) {
      this.cpuRate = Math.max(0, (this.readingMs - this.rateReadingMs) / (now - this.rateReadAt));
      this.rateReadingMs = this.readingMs;
      this.rateReadAt = now;
    }
    return this.readingMs;
  }
}
