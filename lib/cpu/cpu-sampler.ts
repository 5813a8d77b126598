import { performance } from 'node:perf_hooks';
import { processCpuMs } from './cpu-clock';

/** Length of a sampling period: the rate is reconsidered, and a new window drawn, once per period. */
export const SAMPLING_PERIOD_MS = 1000;
/** The lowest rate: one unit in 4096 (a window of 0.24 ms per second). */
export const MIN_SAMPLE_RATE = 1 / 4096;
/**
 * What the accounting may always cost, whatever the budget: 1 ms per second (0.1 % of a core).
 * A lightly loaded process spends little CPU, so a budget in per cent of it would sample a handful
 * of requests per second; it is measured in full instead, for next to nothing.
 */
export const ALWAYS_ALLOWED_MS_PER_S = 1;
/**
 * While every unit is measured (rate 1), a period ends early once the accounting has cost this
 * many times what the whole period allows: a burst of load on an idle process (whose rate is 1)
 * would otherwise be accounted in full until the second ends. At startup under load that first
 * second cost 3.5 times a Fastify hello request's CPU for every request in it (Node 24). Ending a
 * period at rate 1 keeps the sample exact (each unit in it was measured, with probability 1); the
 * margin keeps ordinary bursts, which cost about what they are allowed, measured in full.
 */
export const RUNAWAY_FACTOR = 4;

/** What the sampler reads from the world; replaceable in unit tests. */
export interface SamplerInputs {
  /** What the accounting has cost so far (ms, a running estimate). */
  accountingCostMs(): number;
  /**
   * What bystanders have cost so far: callbacks of work no measured unit owns, which run through
   * the hooks only because some unit is measured meanwhile (ms, a running estimate).
   */
  bystanderCostMs(): number;
  /** The process's CPU time so far, ms. */
  processCpuMs(): number;
  /** Uniform in [0, 1). */
  random(): number;
}

/** The real inputs: the accounting's own estimates, `process.cpuUsage()`, `Math.random`. */
export const processSamplerInputs = (
  accountingCostMs: () => number,
  bystanderCostMs: () => number,
): SamplerInputs => ({
  accountingCostMs,
  bystanderCostMs,
  processCpuMs,
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
 * lowered to fit when the estimated cost went over what was allowed (the budget's share of the
 * CPU the process spent, or {@link ALWAYS_ALLOWED_MS_PER_S} if more), doubled when it stayed under
 * a quarter of that, 1 when the process is lightly loaded. A window in which no unit began says
 * nothing of the cost by itself, so the period's cost is then what its units would have cost at
 * the rate, each at what a measured unit last cost (or what units measured before still cost, if
 * more): a process whose load fell after a burst goes back to measuring every unit one step a
 * period (twelve from the lowest rate), where waiting for a narrow window to catch one of a few
 * units a second would keep it at the burst's rate for hours. A second in which no unit began at
 * all is such a cheap period too, so a process that went idle after a burst comes back to every
 * unit as fast as one that kept a light load.
 */
export class CpuSampler {
  /** The rate of units that begin in the current period's window. */
  rate = 1;
  /**
   * How many periods have ended whose bystanders alone cost more than the period allowed: a unit
   * kept open through such a period (a stream, a long poll, a slow call) makes every other
   * request pay the hooks, however low the rate, and its owner gives it up (`AttributedCpuClock`).
   */
  bystanderOverruns = 0;
  private periodStart: number;
  private windowStart = 0;
  private costAtStart: number;
  private bystanderCostAtStart: number;
  private cpuAtStart: number;
  private measuredInPeriod = 0;
  private unitsInPeriod = 0;
  /** What a measured unit cost the accounting, from the last period that measured any (ms). */
  private costPerUnitMs = 0;

  constructor(
    private readonly budget: number,
    private readonly inputs: SamplerInputs,
    now: number = performance.now(),
  ) {
    this.periodStart = now;
    this.costAtStart = this.inputs.accountingCostMs();
    this.bystanderCostAtStart = this.inputs.bystanderCostMs();
    this.cpuAtStart = this.inputs.processCpuMs();
  }

  /** The rate of a unit beginning at `now` if it is to be measured, 0 if not. */
  sample(now: number): number {
    if (now - this.periodStart >= SAMPLING_PERIOD_MS || (this.rate === 1 && this.runningAway())) {
      this.nextPeriod(now);
    }
    this.unitsInPeriod++;
    if (this.rate < 1) {
      const position = now - this.periodStart - this.windowStart;
      const inWindow =
        (position >= 0 ? position : position + SAMPLING_PERIOD_MS) < this.rate * SAMPLING_PERIOD_MS;
      if (!inWindow) return 0;
    }
    this.measuredInPeriod++;
    return this.rate;
  }

  /** Whether the accounting already cost {@link RUNAWAY_FACTOR} times this period's allowance. */
  private runningAway(): boolean {
    const spentMs = this.inputs.accountingCostMs() - this.costAtStart;
    const floorMs = (ALWAYS_ALLOWED_MS_PER_S * SAMPLING_PERIOD_MS) / 1000;
    // The process's CPU is read (a system call) only once the floor alone is exceeded.
    if (spentMs <= RUNAWAY_FACTOR * floorMs) return false;
    const allowedMs = this.budget * (this.inputs.processCpuMs() - this.cpuAtStart);
    return spentMs > RUNAWAY_FACTOR * Math.max(allowedMs, floorMs);
  }

  private nextPeriod(now: number): void {
    const costMs = this.inputs.accountingCostMs();
    const bystanderCostMs = this.inputs.bystanderCostMs();
    const cpuMs = this.inputs.processCpuMs();
    const spentMs = costMs - this.costAtStart;
    // A period ends at the first unit after it, so no unit began in the whole periods that fit
    // after its first. Its units' cost is judged against the allowance of the rest of the span
    // (one to two periods' time), and each idle period, as cheap as can be, doubles the rate.
    // Judged over the whole span, a burst's last second followed by an idle minute looked cheap
    // enough to keep but not to raise, and the units that came back were sampled at its rate.
    const elapsedMs = now - this.periodStart;
    const idlePeriods = Math.max(0, Math.floor(elapsedMs / SAMPLING_PERIOD_MS) - 1);
    const busyMs = elapsedMs - idlePeriods * SAMPLING_PERIOD_MS;
    const allowedMs = Math.max(
      this.budget * (cpuMs - this.cpuAtStart),
      (ALWAYS_ALLOWED_MS_PER_S * busyMs) / 1000,
    );
    if (bystanderCostMs - this.bystanderCostAtStart > allowedMs) this.bystanderOverruns++;
    if (this.measuredInPeriod > 0) this.costPerUnitMs = spentMs / this.measuredInPeriod;
    // With no unit measured in the window, what units measured before still cost counts too.
    const costAtRateMs =
      this.measuredInPeriod > 0
        ? spentMs
        : Math.max(spentMs, this.unitsInPeriod * this.rate * this.costPerUnitMs);
    if (spentMs > allowedMs) {
      this.rate = Math.max(MIN_SAMPLE_RATE, powerOfTwoAtMost((this.rate * allowedMs) / spentMs));
    } else if (costAtRateMs < allowedMs / 4 && this.rate < 1) {
      this.rate *= 2;
    }
    this.rate = Math.min(1, this.rate * 2 ** idlePeriods);
    this.measuredInPeriod = 0;
    this.unitsInPeriod = 0;
    this.periodStart = now;
    this.windowStart = this.inputs.random() * SAMPLING_PERIOD_MS;
    this.costAtStart = costMs;
    this.bystanderCostAtStart = bystanderCostMs;
    this.cpuAtStart = cpuMs;
  }
}

/** The largest power of two (2^-k) not above `value` (0 < value ≤ 1). */
export function powerOfTwoAtMost(value: number): number {
  return value >= 1 ? 1 : 2 ** Math.floor(Math.log2(value));
}
