import { performance } from 'node:perf_hooks';
import { ProcessCpuClock, SharedReadingProcessCpuClock, START_READING_MAX_AGE_MS } from './cpu-clock';

function burnCpuMs(ms: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < ms * 1000) {
    // the workload
  }
}

function waitWall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // let the wall clock pass
  }
}

describe('ProcessCpuClock', () => {
  it('measures CPU burned between begin and elapsedMs', () => {
    const clock = new ProcessCpuClock();
    const mark = clock.begin();
    burnCpuMs(20);
    expect(clock.elapsedMs(mark)).toBeGreaterThanOrEqual(20);
  });
});

describe('SharedReadingProcessCpuClock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('measures CPU burned between begin and elapsedMs', () => {
    const clock = new SharedReadingProcessCpuClock();
    const mark = clock.begin();
    burnCpuMs(20);
    expect(clock.elapsedMs(mark)).toBeGreaterThanOrEqual(20);
  });

  it('starts a unit with a fresh enough reading, such as the end of the unit before it', () => {
    // Generous ages, so the test does not depend on how fast the spy is installed.
    const clock = new SharedReadingProcessCpuClock(1000, 1000);
    clock.elapsedMs(clock.begin());
    const reads = jest.spyOn(process, 'cpuUsage');

    clock.begin();

    expect(reads).not.toHaveBeenCalled();
  });

  it('reads the clock to start a unit when the last reading is older than the allowed age', () => {
    const clock = new SharedReadingProcessCpuClock(START_READING_MAX_AGE_MS, 1000);
    clock.elapsedMs(clock.begin());
    waitWall(START_READING_MAX_AGE_MS * 4);
    const reads = jest.spyOn(process, 'cpuUsage');

    clock.begin();

    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('always reads the clock to end a unit that ran alone', () => {
    const clock = new SharedReadingProcessCpuClock(1000, 1000);
    const mark = clock.begin();
    const reads = jest.spyOn(process, 'cpuUsage');

    clock.elapsedMs(mark, false);

    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('ends a unit that overlapped others with a fresh enough reading', () => {
    const clock = new SharedReadingProcessCpuClock(1000, 1000);
    const mark = clock.begin();
    const reads = jest.spyOn(process, 'cpuUsage');

    expect(clock.elapsedMs(mark, true)).toBeGreaterThanOrEqual(0);
    expect(reads).not.toHaveBeenCalled();
  });
});
