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

  it('starts a unit that overlaps others with a reading up to the overlapping age', () => {
    const clock = new SharedReadingProcessCpuClock(0, 1000);
    clock.elapsedMs(clock.begin());
    const reads = jest.spyOn(process, 'cpuUsage');

    clock.begin(true);

    expect(reads).not.toHaveBeenCalled();
  });

  it('extrapolates between readings at the CPU rate measured between the last two', () => {
    const clock = new SharedReadingProcessCpuClock(0, 1000);
    // Two real readings around 5 ms of busy CPU: the rate is about 1 CPU ms per wall ms.
    const first = clock.begin();
    burnCpuMs(5);
    clock.elapsedMs(first);
    const reads = jest.spyOn(process, 'cpuUsage');
    const mark = clock.begin(true);
    burnCpuMs(10);
    reads.mockClear();

    const elapsed = clock.elapsedMs(mark, true);

    expect(reads).not.toHaveBeenCalled();
    // Not a stale reading (which would give 0), close to the 10 ms burned (wide: shared machine).
    expect(elapsed).toBeGreaterThan(3);
    expect(elapsed).toBeLessThan(40);
  });
});

