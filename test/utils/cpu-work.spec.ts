import { runQueueWaitMsOf, stealMsOf, timeTakenAwayMs } from './cpu-work';

describe('the time the machine took the core away', () => {
  it('reads the run-queue wait from a schedstat line (ns)', () => {
    expect(runQueueWaitMsOf('123456789 4500000 17\n')).toBe(4.5);
    expect(runQueueWaitMsOf('')).toBeUndefined();
  });

  it("reads every CPU's steal from /proc/stat's cpu line (ticks of 10 ms)", () => {
    const procStat = [
      'cpu  2610974 0 560184 2439711 26342 0 96264 42095 0 0',
      'cpu0 1123560 0 271402 1427608 2081 0 30845 25317 0 0',
      'cpu1 1487414 0 288782 1012102 24261 0 65418 16777 0 0',
      'intr 1 2 3',
    ].join('\n');
    expect(stealMsOf(procStat)).toBe(420_950);
    expect(stealMsOf('cpu0 1 2 3 4 5 6 7 8 9 10')).toBeUndefined();
  });

  it('sums both on this machine, and never goes back', () => {
    const first = timeTakenAwayMs();
    if (process.platform !== 'linux') {
      expect(first).toBeUndefined();
      return;
    }
    expect(first).toBeGreaterThanOrEqual(0);
    expect(timeTakenAwayMs()).toBeGreaterThanOrEqual(first as number);
  });
});
