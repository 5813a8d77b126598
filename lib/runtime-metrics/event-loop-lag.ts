import { performance } from 'node:perf_hooks';

/** Sampling period of the lag timer (ms): also the smallest lag that can be seen. */
const SAMPLE_EVERY_MS = 20;
/** Samples kept per reporting interval; beyond this the oldest half is dropped. */
const MAX_SAMPLES = 10_000;

/**
 * Event-loop delay measured as the lateness of a timer: every `SAMPLE_EVERY_MS` a timer checks
 * how much later than planned it ran. Node 20's `monitorEventLoopDelay` misses a single long
 * block (the sample that would show it lands after the reporter already read and reset the
 * histogram), which is exactly what this metric is for, so it is measured here instead.
 */
export class EventLoopLag {
  private samples: number[] = [];
  private maxMs = 0;
  private expectedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.schedule();
  }

  /** p50, p99 and max lag (ms) since the last call, and starts a new period. */
  take(): { p50: number; p99: number; max: number } {
    this.sampleNow();
    const sorted = this.samples.sort((a, b) => a - b);
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
    const result = { p50: at(0.5), p99: at(0.99), max: this.maxMs };
    this.samples = [];
    this.maxMs = 0;
    return result;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.expectedAt = performance.now() + SAMPLE_EVERY_MS;
    this.timer = setTimeout(() => {
      this.record(Math.max(0, performance.now() - this.expectedAt));
      this.schedule();
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Counts a block still in progress when the reporter runs (the reporter is late too). */
  private sampleNow(): void {
    if (this.timer !== undefined) this.maxMs = Math.max(this.maxMs, performance.now() - this.expectedAt);
  }

  private record(lagMs: number): void {
    if (this.samples.length >= MAX_SAMPLES) this.samples = this.samples.slice(MAX_SAMPLES / 2);
    this.samples.push(lagMs);
    if (lagMs > this.maxMs) this.maxMs = lagMs;
  }
}
