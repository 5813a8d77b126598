import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { itWhereNodeHas } from '../../test/utils/node-line';
import { AttributedCpuClock, GIVE_UP_DEAR_AFTER_MS } from './attributed-cpu-clock';

function burn(ms: number): number {
  const start = performance.now();
  let now = start;
  while (now - start < ms) now = performance.now();
  return now - start;
}

/**
 * Two units interleave on the event loop, each burning its own slices after awaits; returns what
 * each burned and what the clock charged it.
 */
async function interleave(
  clock: AttributedCpuClock,
): Promise<Array<{ burned: number; charged: number }>> {
  const unit = async (slices: number, sliceMs: number) => {
    const account = clock.begin();
    let burned = 0;
    await clock.run(account, async () => {
      for (let slice = 0; slice < slices; slice++) {
        await yieldToLoop();
        burned += burn(sliceMs);
      }
    });
    return { burned, charged: clock.end(account)!.ms };
  };
  return Promise.all([unit(5, 4), unit(5, 0.5)]);
}

describe('AttributedCpuClock', () => {
  let clock: AttributedCpuClock;

  beforeEach(() => (clock = new AttributedCpuClock()));
  afterEach(() => clock.dispose());

  async function expectOwnWorkCharged(): Promise<void> {
    const [heavy, light] = await interleave(clock);
    // The other unit's 20 ms (or 2.5 ms) must not be charged; 5 ms leaves room for the awaits
    // themselves, a GC pause or a preempted slice, and still tells 2.5 from 22.5.
    expect(heavy!.charged).toBeGreaterThanOrEqual(heavy!.burned);
    expect(heavy!.charged).toBeLessThan(heavy!.burned + 5);
    expect(light!.charged).toBeGreaterThanOrEqual(light!.burned);
    expect(light!.charged).toBeLessThan(light!.burned + 5);
  }

  it('charges each of two interleaved units only the slices it ran itself', expectOwnWorkCharged);

  itWhereNodeHas(
    'AsyncContextFrame',
    'finds the owner of a continuation when AsyncLocalStorage runs on AsyncContextFrame',
    expectOwnWorkCharged,
  );

  it('charges a nested unit to its parent too', async () => {
    const parent = clock.begin();
    let child: ReturnType<AttributedCpuClock['begin']> | undefined;
    await clock.run(parent, async () => {
      child = clock.begin();
      await clock.run(child, async () => {
        await yieldToLoop();
        burn(3);
      });
    });
    const childMs = clock.end(child)!.ms;
    expect(childMs).toBeGreaterThanOrEqual(3);
    expect(clock.end(parent)!.ms).toBeGreaterThanOrEqual(childMs);
  });
});

describe('AttributedCpuClock within a budget', () => {
  let clock: AttributedCpuClock;

  beforeEach(() => (clock = new AttributedCpuClock(0.01)));
  afterEach(() => clock.dispose());

  /** 5,000 turns of the event loop: about 10,000 callbacks through the hooks while any unit is open. */
  async function spinTheLoop(): Promise<void> {
    for (let turn = 0; turn < 5000; turn++) await yieldToLoop();
  }

  /** The first unit to begin a period from now on, which ends the current one. */
  const beginNextPeriod = () => clock.begin(performance.now() + GIVE_UP_DEAR_AFTER_MS);

  it('gives up a long unit when other work paid the hooks for it beyond the budget', async () => {
    const long = clock.begin();
    expect(long).toBeDefined();
    // Work no unit owns, run through the hooks only because `long` is open: about 10 ms of
    // bystanders against the 1–2 ms the period allows.
    await spinTheLoop();
    beginNextPeriod();
    expect(clock.end(long)).toBeUndefined();
  });

  it('keeps a long unit whose own callbacks made the cost', async () => {
    const long = clock.begin();
    await clock.run(long, spinTheLoop);
    beginNextPeriod();
    expect(clock.end(long)).toEqual({ ms: expect.any(Number), rate: 1 });
  });
});
