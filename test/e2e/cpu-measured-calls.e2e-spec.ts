import { type INestApplication, Injectable } from '@nestjs/common';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { Measure, StatsdService, type StatsdModuleOptions } from '../../lib';
import type { ParsedMetric } from '../utils/statsd-line-parser';
import { useAppUnderTest } from '../fixtures/app-under-test';
import { startMeasuredApp } from '../fixtures/measured-app';
import { flushedMetrics } from '../fixtures/request-metrics';
import { burn, burnInSlices, MAX_STOLEN_MS, median, withStolenTime } from '../utils/cpu-work';
import { waitFor } from '../utils/wait-for';

/**
 * `@Measure()` and `measure()` under concurrency, with the default options: 30 calls in flight,
 * some burning 2 or 20 ms of CPU in slices (yielding between them, so calls interleave), some
 * only waiting. Each call's `.cpu` must be its own, not the process's CPU between its start and
 * end. And past its budget, the accounting samples: values then carry `|@rate`.
 */

@Injectable()
class WorkService {
  @Measure()
  burn2(): Promise<number> {
    return burnInSlices(2, 1);
  }

  @Measure()
  burn20(): Promise<number> {
    return burnInSlices(10, 2);
  }

  @Measure()
  async wait(): Promise<number> {
    await sleep(30);
    return 0;
  }
}

const KINDS = ['burn2', 'burn20', 'wait'] as const;
type Kind = (typeof KINDS)[number];
/** `.cpu` values wanted per kind (one full round's worth), and the most rounds sent for them. */
const WANTED_PER_KIND = 10;
const MAX_ROUNDS = 30;
const WORK: Record<Kind, () => Promise<number>> = {
  burn2: () => burnInSlices(2, 1),
  burn20: () => burnInSlices(10, 2),
  wait: async () => {
    await sleep(30);
    return 0;
  },
};

describe('CPU time of measured calls under concurrency', () => {
  const run = useAppUnderTest<INestApplication>();

  async function start(options: Partial<StatsdModuleOptions> = {}): Promise<INestApplication> {
    run.app = await startMeasuredApp(run.sink, [WorkService], options);
    return run.app;
  }

  function recorded(): Promise<ParsedMetric[]> {
    return flushedMetrics(run.app!.get(StatsdService), run.sink);
  }

  function cpuValues(metrics: ParsedMetric[], name: string): number[] {
    return metrics
      .filter((metric) => metric.name === name)
      .flatMap((metric) => metric.values as number[]);
  }

  /** What each kind's calls burned and the values reported under `cpuName(kind)`. */
  interface Calls {
    burned: Record<Kind, number[]>;
    reported: Record<Kind, number[]>;
  }

  const noCalls = (): Calls => ({
    burned: { burn2: [], burn20: [], wait: [] },
    reported: { burn2: [], burn20: [], wait: [] },
  });

  function addCalls(into: Calls, from: Calls): void {
    for (const kind of KINDS) {
      into.burned[kind].push(...from.burned[kind]);
      into.reported[kind].push(...from.reported[kind]);
    }
  }

  /**
   * Rounds of 10 calls of each kind at once (after a warm-up round) until each kind has
   * {@link WANTED_PER_KIND} `.cpu` values from rounds during which the machine left this thread
   * alone: the default measures a sample once the accounting costs more than its budget, which
   * these rounds do when they spill past the first sampling second (a slow machine), and the
   * sampler picks calls by the moment they begin, whatever their kind. A round during which the
   * machine took the core away for more than {@link MAX_STOLEN_MS} is set aside, unless too few
   * were left alone.
   */
  async function concurrentRounds(
    call: (kind: Kind) => Promise<number>,
    cpuName: (kind: Kind) => string,
  ): Promise<Calls & { note: string }> {
    const mix = KINDS.flatMap((kind) => Array<Kind>(10).fill(kind));
    await Promise.all(mix.map(call));
    await recorded();
    const quiet = noCalls();
    const all = noCalls();
    const stolenPerRound: number[] = [];
    const enough = (calls: Calls) =>
      KINDS.every((kind) => calls.reported[kind].length >= WANTED_PER_KIND);
    while (stolenPerRound.length < MAX_ROUNDS && !enough(quiet)) {
      const { value: burnedNow, stolenMs } = await withStolenTime(() => Promise.all(mix.map(call)));
      const metrics = await recorded();
      const thisRound = noCalls();
      mix.forEach((kind, index) => thisRound.burned[kind].push(burnedNow[index]!));
      for (const kind of KINDS) thisRound.reported[kind].push(...cpuValues(metrics, cpuName(kind)));
      stolenPerRound.push(stolenMs);
      addCalls(all, thisRound);
      if (stolenMs <= MAX_STOLEN_MS) addCalls(quiet, thisRound);
    }
    const judged = enough(quiet)
      ? `judged those during which it took the core away ≤ ${MAX_STOLEN_MS} ms`
      : 'judged them all (too few were left alone)';
    const note = `${stolenPerRound.length} rounds, ${judged}; time the machine took the core away in each (ms): ${stolenPerRound.map((ms) => ms.toFixed(1)).join(', ')}`;
    return { ...(enough(quiet) ? quiet : all), note };
  }

  /** Every kind's `.cpu` values against what its calls burned: ±25 % for burners, ~0 for waiters. */
  function expectOwnCpu({ burned, reported, note }: Calls & { note: string }): void {
    const report = [
      note,
      ...KINDS.map(
        (kind) =>
          `${kind}: burned ${burned[kind].map((ms) => ms.toFixed(2)).join(' ')}; reported ${reported[kind].map((ms) => ms.toFixed(2)).join(' ')}`,
      ),
    ].join('\n');
    for (const kind of KINDS) {
      // Enough to judge, and never more than one value per call.
      expect(reported[kind].length).toBeGreaterThanOrEqual(WANTED_PER_KIND);
      expect(reported[kind].length).toBeLessThanOrEqual(burned[kind].length);
    }
    for (const kind of ['burn2', 'burn20'] as const) {
      const ratio = median(reported[kind]) / median(burned[kind]);
      if (Math.abs(ratio - 1) > 0.25)
        throw new Error(`${kind}: reported/burned ${ratio.toFixed(2)}\n${report}`);
    }
    // A tenth of the smallest burn (2 ms): waiting calls are charged nobody else's CPU.
    if (median(reported.wait) >= 0.2)
      throw new Error(`wait: median ${median(reported.wait).toFixed(2)} ms\n${report}`);
  }

  it('charges each @Measure() call its own CPU', async () => {
    const service = (await start()).get(WorkService);
    expectOwnCpu(
      await concurrentRounds(
        (kind) => service[kind](),
        (kind) => `app.WorkService.${kind}.cpu`,
      ),
    );
  });

  it('charges each measure() call its own CPU', async () => {
    const statsd = (await start()).get(StatsdService);
    expectOwnCpu(
      await concurrentRounds(
        (kind) => statsd.measure(`block.${kind}`, WORK[kind]),
        (kind) => `app.block.${kind}.cpu`,
      ),
    );
  });

  it('samples past its budget and sends the sampled values with their rate', async () => {
    // Sync calls this small cost the accounting far more than 1 % of their CPU (the default budget).
    const statsd = (await start()).get(StatsdService);
    let calls = 0;
    // Every call is measured until the accounting costs 4 times what the period allows; the
    // period then ends early and the rate falls to fit the budget.
    const sampled = (line: string) => line.startsWith('app.unit.cpu:') && line.includes('|@');
    await waitFor(
      async () => {
        for (let index = 0; index < 200; index++, calls++)
          statsd.measure('unit', () => burn(0.002));
        await yieldToLoop();
        statsd.flush();
        return run.sink.lines.some(sampled);
      },
      { timeoutMs: 10_000, description: 'a sampled app.unit.cpu line' },
    );
    const rate = Number(/\|@([0-9.e-]+)/.exec(run.sink.lines.find(sampled)!)![1]);
    expect(Number.isInteger(Math.log2(rate))).toBe(true);
    expect(rate).toBeLessThan(1);
    // A call is measured when it begins inside its period's window (rate × 1 s, at a random place):
    // the calls right after the rate fell may all be inside it, calls that keep coming are not.
    // `recorded()` returns what arrived since its last call: the counts add up over the batches.
    const all: ParsedMetric[] = [];
    const count = (name: string) =>
      all
        .filter((metric) => metric.name === name)
        .reduce((sum, metric) => sum + metric.values.length, 0);
    await waitFor(
      async () => {
        for (let index = 0; index < 200; index++, calls++)
          statsd.measure('unit', () => burn(0.002));
        await yieldToLoop();
        all.push(...(await recorded()));
        return count('app.unit.cpu') < count('app.unit');
      },
      { timeoutMs: 10_000, description: 'a call the sample left unmeasured' },
    );
    // Every call's wall time; CPU for the calls before sampling began and a sample of the later ones.
    expect(count('app.unit')).toBe(calls);
    expect(count('app.unit.cpu')).toBeLessThan(calls);
  });
});
