import { chooseSliceClock, countClockSteps } from './slice-clock';
import { itWhereNodeHas } from '../../test/utils/node-line';

/** A fake clock pair: `now` advances by 1 µs per call, `read` moves every `stepEveryMs`. */
function fakeClocks(stepEveryMs: number): { now: () => number; read: () => number } {
  let time = 0;
  return {
    now: () => (time += 0.001),
    read: () => Math.floor(time / stepEveryMs) * stepEveryMs,
  };
}

describe('countClockSteps', () => {
  it('counts every change of a fine clock until it has seen enough', () => {
    const { now, read } = fakeClocks(0.01);
    expect(countClockSteps(read, 1, 20, now)).toBe(20);
  });

  it('sees no step of a clock that moves every 4 ms within a 1 ms budget', () => {
    const { now, read } = fakeClocks(4);
    expect(countClockSteps(read, 1, 20, now)).toBe(0);
  });

  it('stops when the budget is spent', () => {
    const { now, read } = fakeClocks(0.25);
    expect(countClockSteps(read, 1, 20, now)).toBeLessThanOrEqual(4);
  });
});

describe('chooseSliceClock', () => {
  it('falls back to the busy wall time where Node has no per-thread clock', () => {
    const clock = chooseSliceClock(undefined);
    expect(clock.source).toBe('busy-wall');
    const before = clock.read();
    expect(clock.read()).toBeGreaterThanOrEqual(before);
  });

  it('keeps a per-thread clock that moves finely', () => {
    let value = 0;
    expect(chooseSliceClock(() => (value += 0.001)).source).toBe('thread-cpu');
  });

  it('rejects a per-thread clock that does not move within the probe', () => {
    expect(chooseSliceClock(() => 7).source).toBe('busy-wall');
  });

  itWhereNodeHas(
    'process.threadCpuUsage',
    'uses the real per-thread clock only if it resolves 50 µs or better on this machine',
    () => {
      const threadCpu = (): number => {
        const usage = (
          process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }
        ).threadCpuUsage();
        return (usage.user + usage.system) / 1000;
      };
      // Independently of the probe: the median step of the clock over 20 ms of busy work.
      const steps: number[] = [];
      const end = performance.now() + 20;
      let last = threadCpu();
      while (performance.now() < end) {
        const value = threadCpu();
        if (value !== last) steps.push(value - last);
        last = value;
      }
      steps.sort((a, b) => a - b);
      const medianStep = steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : Infinity;
      const chosen = chooseSliceClock().source;
      if (medianStep >= 0.5) expect(chosen).toBe('busy-wall');
      else if (medianStep <= 0.02) expect(chosen).toBe('thread-cpu');
      else expect(['thread-cpu', 'busy-wall']).toContain(chosen);
    },
  );
});
