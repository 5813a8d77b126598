import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { itWhereNodeHas } from '../../test/utils/node-line';
import { AttributedCpuClock } from './attributed-cpu-clock';

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
