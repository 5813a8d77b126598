import { performance } from 'node:perf_hooks';

/** Length of a sampling period: the rate is reconsidered, and a new window drawn, once per period. */
export const SAMPLING_PERIOD_MS = 1000;
/** The lowest rate: one unit in 4096 (a window of 0.24 ms per second). */
export const MIN_SAMPLE_RATE = 1 / 4096;

/** What the sampler reads from the world; replaceable in unit tests. */
export interface SamplerInputs {
  /** What the accounting has cost so far (ms, a running estimate). */
  accountingCostMs(): number;
  /** The process's CPU time so far, ms. */
  processCpuMs(): number;
  /** Uniform in [0, 1). */
  random(): number;
}

/** The real inputs: the accounting's own estimate, `process.cpuUsage()`, `Math.random`. */
export const processSamplerInputs = (accountingCostMs: () => number): SamplerInputs => ({
  accountingCostMs,
  processCpuMs: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  },
  random: Math.random,
});

/**
 * Decides which units of work get attributed CPU accounting, so that it costs at most `budget`
 * of the process's CPU (as the accounting estimates its own cost).
 *
 * Sampling is by time window: in each period a window of `rate × period` opens at a random
 * offset, and a unit is measured when it begins inside it. Whatever a unit's length or route,
 * its chance is exactly `rate`, which its figure carries (`|@rate`), so the agent's counts stay
 * right. The rate is a power of two, chosen at the start of each period from the one before:
 * halved (or more) when the estimated cost went over the budget, doubled when it stayed under a
 * quarter of it, 1 when the process is lightly loaded (every unit measured).
 */
export class CpuSampler {
  /** The rate of units that begin in the current period's window. */
  rate = 1;
  private periodStart: number;
  private windowStart = 0;
  private costAtStart: number;
  private cpuAtStart: number;

  constructor(
    private readonly budget: number,
    private readonly inputs: SamplerInputs,
    now: number = performance.now(),
  ) {
    this.periodStart = now;
    this.costAtStart = this.inputs.accountingCostMs();
    this.cpuAtStart = this.inputs.processCpuMs();
  }

  /** The rate of a unit beginning at `now` if it is to be measured, 0 if not. */
  sample(now: number): number {
    if (now - this.periodStart >= SAMPLING_PERIOD_MS) this.nextPeriod(now);
    if (this.rate >= 1) return 1;
    const position = now - this.periodStart - this.windowStart;
    const inWindow =
      (position >= 0 ? position : position + SAMPLING_PERIOD_MS) < this.rate * SAMPLING_PERIOD_MS;
    return inWindow ? this.rate : 0;
  }

  private nextPeriod(now: number): void {
    const costMs = this.inputs.accountingCostMs();
    const cpuMs = this.inputs.processCpuMs();
    const spentMs = cpuMs - this.cpuAtStart;
    const share = spentMs > 0 ? (costMs - this.costAtStart) / spentMs : 0;
    if (share > this.budget) {
      this.rate = Math.max(MIN_SAMPLE_RATE, powerOfTwoAtMost((this.rate * this.budget) / share));
    } else if (share < this.budget / 4 && this.rate < 1) {
      this.rate *= 2;
    }
    this.periodStart = now;
    this.windowStart = this.inputs.random() * SAMPLING_PERIOD_MS;
    this.costAtStart = costMs;
    this.cpuAtStart = cpuMs;
  }
}

/** The largest power of two (2^-k) not above `value` (0 < value ≤ 1). */
export function powerOfTwoAtMost(value: number): number {
  return value >= 1 ? 1 : 2 ** Math.floor(Math.log2(value));
}
