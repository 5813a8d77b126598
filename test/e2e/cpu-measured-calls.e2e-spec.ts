import { type INestApplication, Injectable } from '@nestjs/common';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { Measure, StatsdService, type StatsdModuleOptions } from '../../lib';
import type { ParsedMetric } from '../utils/statsd-line-parser';
import { useAppUnderTest } from '../fixtures/app-under-test';
import { startMeasuredApp } from '../fixtures/measured-app';
import { flushedMetrics } from '../fixtures/request-metrics';
import { burn, burnInSlices, median } from '../utils/cpu-work';
import { roundsUntilEnough, type QuietRounds } from '../utils/quiet-rounds';
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

  /** A call's burned time, or a `.cpu` value reported for its kind (values are per name, not per call). */
  interface Observation {
    kind: Kind;
    side: 'burned' | 'reported';
    ms: number;
  }

  const valuesOf = (observations: readonly Observation[], kind: Kind, side: Observation['side']) =>
    observations.filter((o) => o.kind === kind && o.side === side).map((o) => o.ms);

  /**
   * Rounds of 10 calls of each kind at once (after a warm-up round) until each kind has
   * {@link WANTED_PER_KIND} `.cpu` values from rounds during which the machine left this thread
   * alone (see `roundsUntilEnough`): the default measures a sample once the accounting costs more
   * than its budget, which these rounds do when they spill past the first sampling second (a slow
   * machine), and the sampler picks calls by the moment they begin, whatever their kind.
   */
  async function concurrentRounds(
    call: (kind: Kind) => Promise<number>,
    cpuName: (kind: Kind) => string,
  ): Promise<QuietRounds<Observation>> {
    const mix = KINDS.flatMap((kind) => Array<Kind>(10).fill(kind));
    await Promise.all(mix.map(call));
    await recorded();
    return roundsUntilEnough(
      async () => {
        const burned = await Promise.all(mix.map(call));
        const metrics = await recorded();
        return [
          ...mix.map((kind, index): Observation => ({ kind, side: 'burned', ms: burned[index]! })),
          ...KINDS.flatMap((kind) =>
            cpuValues(metrics, cpuName(kind)).map((ms): Observation => ({
              kind,
              side: 'reported',
              ms,
            })),
          ),
        ];
      },
      (observations) =>
        KINDS.every((kind) => valuesOf(observations, kind, 'reported').length >= WANTED_PER_KIND),
      MAX_ROUNDS,
    );
  }

  /** Every kind's `.cpu` values against what its calls burned: ±25 % for burners, ~0 for waiters. */
  function expectOwnCpu({ samples, note }: QuietRounds<Observation>): void {
    const burned = (kind: Kind) => valuesOf(samples, kind, 'burned');
    const reported = (kind: Kind) => valuesOf(samples, kind, 'reported');
    const report = [
      note,
      ...KINDS.map(
        (kind) =>
          `${kind}: burned ${burned(kind)
            .map((ms) => ms.toFixed(2))
            .join(' ')}; reported ${reported(kind)
            .map((ms) => ms.toFixed(2))
            .join(' ')}`,
      ),
    ].join('\n');
    for (const kind of KINDS) {
      // Enough to judge, and never more than one value per call.
      expect(reported(kind).length).toBeGreaterThanOrEqual(WANTED_PER_KIND);
      expect(reported(kind).length).toBeLessThanOrEqual(burned(kind).length);
    }
    for (const kind of ['burn2', 'burn20'] as const) {
      const ratio = median(reported(kind)) / median(burned(kind));
      if (Math.abs(ratio - 1) > 0.25)
        throw new Error(`${kind}: reported/burned ${ratio.toFixed(2)}\n${report}`);
    }
    // A tenth of the smallest burn (2 ms): waiting calls are charged nobody else's CPU.
    const waited = median(reported('wait'));
    if (waited >= 0.2) throw new Error(`wait: median ${waited.toFixed(2)} ms\n${report}`);
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
