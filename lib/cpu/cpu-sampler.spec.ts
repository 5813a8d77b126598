import {
  CpuSampler,
  MIN_SAMPLE_RATE,
  SAMPLING_PERIOD_MS,
  powerOfTwoAtMost,
  type SamplerInputs,
} from './cpu-sampler';

/** Inputs the test drives: the accounting's cost and the process CPU only move when told. */
function world(random = 0.5) {
  const state = { costMs: 0, bystanderCostMs: 0, cpuMs: 0 };
  const inputs: SamplerInputs = {
    accountingCostMs: () => state.costMs,
    bystanderCostMs: () => state.bystanderCostMs,
    processCpuMs: () => state.cpuMs,
    random: () => random,
  };
  return { state, inputs };
}

/**
 * A period passes in which the process spent `cpuMs` and the accounting cost `costMs` of it,
 * `bystanderCostMs` of that on callbacks no measured unit owned.
 */
function period(
  sampler: CpuSampler,
  w: ReturnType<typeof world>,
  at: number,
  cpuMs: number,
  costMs: number,
  bystanderCostMs = 0,
): number {
  w.state.cpuMs += cpuMs;
  w.state.costMs += costMs;
  w.state.bystanderCostMs += bystanderCostMs;
  return sampler.sample(at);
}

/** A sampler whose first period's accounting cost 30 % of the CPU: from 1000 on, rate 1/32. */
function afterBurst(w: ReturnType<typeof world>): CpuSampler {
  const sampler = new CpuSampler(0.01, w.inputs, 0);
  period(sampler, w, 1000, 1000, 300);
  expect(sampler.rate).toBe(1 / 32);
  return sampler;
}

describe('CpuSampler', () => {
  it('measures every unit while the accounting costs less than the budget', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    expect(sampler.sample(10)).toBe(1);
    expect(period(sampler, w, SAMPLING_PERIOD_MS, 500, 1)).toBe(1);
    expect(sampler.rate).toBe(1);
  });

  it('lowers the rate to a power of two that fits the budget when the accounting cost more', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    // 30 % of the CPU went to the accounting: 1/30 of it fits 1 %, so 1/32.
    period(sampler, w, SAMPLING_PERIOD_MS, 1000, 300);
    expect(sampler.rate).toBe(1 / 32);
  });

  it('ends a period early when accounting every unit runs away, and samples from then on', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    // A burst 20 ms into the period: 4 ms of accounting is within 4 × the 1 ms floor, so it goes on.
    expect(period(sampler, w, 20, 20, 4)).toBe(1);
    // 6 ms of accounting for 40 ms of CPU: more than 4 × max(1 % × 40 ms, 1 ms); the period ends here,
    // and the rate fits what 40 ms allow (0.4 ms, and 0.04 ms of floor): 1/16.
    expect(period(sampler, w, 40, 20, 2)).toBe(0);
    expect(sampler.rate).toBe(1 / 16);
  });

  it('never ends a period early once it samples (each moment keeps the chance of the rate)', () => {
    const w = world();
    const sampler = afterBurst(w);
    period(sampler, w, 1100, 10, 300);
    expect(sampler.rate).toBe(1 / 32);
  });

  it('raises the rate one step per period once the cost is under a quarter of what is allowed', () => {
    const w = world(); // windows open half-way through each period
    const sampler = afterBurst(w);
    expect(sampler.sample(1500)).toBe(1 / 32);
    period(sampler, w, 2000, 1000, 2);
    expect(sampler.rate).toBe(1 / 16);
    expect(sampler.sample(2500)).toBe(1 / 16);
    period(sampler, w, 3000, 1000, 5);
    expect(sampler.rate).toBe(1 / 16);
  });

  /** A first period in which every one of 100 units was measured, at 0.4 ms of accounting each. */
  function afterCostlyPeriod(w: ReturnType<typeof world>): CpuSampler {
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    for (let unit = 0; unit < 100; unit++) expect(sampler.sample(unit)).toBe(1);
    period(sampler, w, 1000, 1000, 40);
    expect(sampler.rate).toBe(1 / 4); // windows open half-way through each period, for 250 ms
    return sampler;
  }

  it('keeps the rate when no unit began inside the window but those outside it would have cost too much', () => {
    const w = world();
    const sampler = afterCostlyPeriod(w);
    // 100 units outside the window: at 1/4 and 0.4 ms each, 10 ms expected of the 10 ms allowed.
    for (let at = 1001; at <= 1100; at++) expect(sampler.sample(at)).toBe(0);
    period(sampler, w, 2000, 1000, 0);
    expect(sampler.rate).toBe(1 / 4);
  });

  it('raises the rate when no unit began inside the window and those outside it would have cost little', () => {
    const w = world();
    const sampler = afterCostlyPeriod(w);
    // The load fell to 3 units a second (one at 1000), none inside the window: 0.3 ms expected of
    // the 10 ms allowed.
    expect(sampler.sample(1100)).toBe(0);
    expect(sampler.sample(1900)).toBe(0);
    period(sampler, w, 2000, 1000, 0);
    expect(sampler.rate).toBe(1 / 2);
    // One unit the next second, outside the window: 0.2 ms expected of the 1 ms floor.
    period(sampler, w, 3000, 10, 0);
    expect(sampler.rate).toBe(1);
  });

  it('doubles the rate for every second in which no unit began, as for a cheap one', () => {
    const w = world();
    const sampler = afterBurst(w);
    // The period from 1000 cost nothing (doubles), and no unit began in the two whole periods
    // after it (each doubles).
    period(sampler, w, 4500, 5, 0);
    expect(sampler.rate).toBe(1 / 4);
    // After a long idle spell, every unit again.
    expect(period(sampler, w, 60_000, 50, 0)).toBe(1);
  });

  it('judges a busy period over its own time, not the idle seconds after it', () => {
    // As the sample app read it: its demo burst's last period, then 16.5 s without a request.
    const w = world();
    const sampler = afterBurst(w);
    w.state.cpuMs += 356.7;
    w.state.costMs += 5.08;
    // Its own 1.5 s: 5.08 ms of accounting against 3.57 allowed (1 % of the CPU) lowers the rate
    // to 1/64; then 16 idle periods raise it back to every unit. Judged over the whole 17.5 s
    // (17.5 ms allowed) it was kept at 1/32 and the next requests went almost all unmeasured.
    expect(sampler.sample(1000 + 17_485)).toBe(1);
  });

  it('judges a period that ran into the next second with no idle one after it over its length', () => {
    // One costly unit every 1.5 s: 1.2 ms of accounting for 1.5 s is within 1 ms a second.
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    expect(period(sampler, w, 1500, 15, 1.2)).toBe(1);
    expect(period(sampler, w, 3000, 15, 1.2)).toBe(1);
  });

  it('measures every unit while the accounting costs under 1 ms per second, whatever the budget', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    // 0.9 ms of accounting is 9 % of a lightly loaded process's 10 ms, and still allowed.
    period(sampler, w, 1000, 10, 0.9);
    expect(sampler.rate).toBe(1);
  });

  it('counts a period whose bystanders alone cost more than it allowed', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    // 10 ms allowed (1 % of 1000 ms): 12 ms went to other work's callbacks while a unit was open.
    period(sampler, w, 1000, 1000, 20, 12);
    expect(sampler.bystanderOverruns).toBe(1);
    period(sampler, w, 2000, 1000, 20, 12);
    expect(sampler.bystanderOverruns).toBe(2);
  });

  it('does not count a costly period whose cost went to the measured units themselves', () => {
    const w = world();
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    // Over the 10 ms allowed, but the bystanders' 8 ms alone are within it: the rate is lowered,
    // the units kept.
    period(sampler, w, 1000, 1000, 300, 8);
    expect(sampler.rate).toBe(1 / 32);
    expect(sampler.bystanderOverruns).toBe(0);
  });

  it('never goes below the lowest rate', () => {
    const w = world();
    const sampler = new CpuSampler(0.0001, w.inputs, 0);
    period(sampler, w, SAMPLING_PERIOD_MS, 1, 100_000);
    expect(sampler.rate).toBe(MIN_SAMPLE_RATE);
  });

  it('measures a unit exactly when it begins inside the window, with the window rate', () => {
    const w = world(0.25);
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    period(sampler, w, 1000, 1000, 80); // rate 1/8: a window of 125 ms from offset 250 ms
    expect(sampler.rate).toBe(1 / 8);
    expect(sampler.sample(1000 + 249)).toBe(0);
    expect(sampler.sample(1000 + 250)).toBe(1 / 8);
    expect(sampler.sample(1000 + 374)).toBe(1 / 8);
    expect(sampler.sample(1000 + 375)).toBe(0);
  });

  it('wraps a window that runs past the end of its period to the period start', () => {
    const w = world(0.95);
    const sampler = new CpuSampler(0.01, w.inputs, 0);
    period(sampler, w, 1000, 1000, 80); // window [950, 1075) of the period: [950, 1000) and [0, 75)
    expect(sampler.sample(1000 + 10)).toBe(1 / 8);
    expect(sampler.sample(1000 + 80)).toBe(0);
    expect(sampler.sample(1000 + 960)).toBe(1 / 8);
  });

  it('gives each moment of a period the same chance as the rate, over random windows', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const state = { costMs: 0, cpuMs: 0 };
    const sampler = new CpuSampler(
      0.01,
      {
        accountingCostMs: () => state.costMs,
        bystanderCostMs: () => 0,
        processCpuMs: () => state.cpuMs,
        random,
      },
      0,
    );
    state.cpuMs += 1000;
    state.costMs += 80;
    let measured = 0;
    const periods = 4000;
    for (let index = 1; index <= periods; index++) {
      // A unit every 10 ms at 0.4 ms each when measured keeps the rate at 1/8: the 12 or 13 units in
      // a window cost 5 ms, between a quarter of the budget and the budget.
      state.cpuMs += 1000;
      for (let at = 0; at < SAMPLING_PERIOD_MS; at += 10) {
        if (sampler.sample(index * SAMPLING_PERIOD_MS + at) === 0) continue;
        state.costMs += 0.4;
        if (at === 700) measured++;
      }
    }
    expect(sampler.rate).toBe(1 / 8);
    expect(measured / periods).toBeGreaterThan(0.1);
    expect(measured / periods).toBeLessThan(0.15);
  });
});

describe('powerOfTwoAtMost', () => {
  it.each([
    [1, 1],
    [0.5, 0.5],
    [0.3, 0.25],
    [0.0009, 1 / 2048],
  ])('%p -> %p', (value, expected) => {
    expect(powerOfTwoAtMost(value)).toBe(expected);
  });
});
