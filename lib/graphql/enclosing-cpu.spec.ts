import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { burn } from '../../test/utils/cpu-work';
import { AttributedCpuClock, GIVE_UP_DEAR_AFTER_MS } from '../cpu/attributed-cpu-clock';
import { startCpuReading } from './enclosing-cpu';

describe('startCpuReading with attributed CPU', () => {
  let clock: AttributedCpuClock;

  beforeEach(() => (clock = new AttributedCpuClock(0.01)));
  afterEach(() => clock.dispose());

  it('reads the growth of the enclosing request, at its rate', () => {
    const request = clock.begin();
    const figure = clock.run(request, () => {
      const reading = startCpuReading(clock)!;
      const burned = burn(2);
      return { burned, read: reading.read() };
    });
    expect(figure.read).toEqual({ ms: expect.any(Number), rate: 1 });
    expect(figure.read!.ms).toBeGreaterThanOrEqual(figure.burned);
  });

  it('reads nothing once the enclosing request was given up', async () => {
    const request = clock.begin();
    const reading = clock.run(request, () => startCpuReading(clock))!;
    // Work no unit owns, while the request keeps the hooks on: the next period gives it up.
    for (let turn = 0; turn < 5000; turn++) await yieldToLoop();
    clock.begin(performance.now() + GIVE_UP_DEAR_AFTER_MS);
    expect(reading.read()).toBeUndefined();
  });
});
