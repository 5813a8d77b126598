import { ProcessCpuClock } from './cpu-clock';

function burnCpuMs(ms: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < ms * 1000) {
    // the workload
  }
}

describe('ProcessCpuClock', () => {
  it('measures CPU burned between begin and elapsedMs', () => {
    const clock = new ProcessCpuClock();
    const mark = clock.begin();
    burnCpuMs(20);
    expect(clock.end(mark)).toEqual({ ms: expect.any(Number), rate: 1 });
    expect(clock.end(mark).ms).toBeGreaterThanOrEqual(20);
  });
});
