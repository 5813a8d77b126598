import { performance } from 'node:perf_hooks';
import { FairShareCpuClock } from './fair-share-cpu-clock';
import type { CpuSink } from './request-cpu-clock';

/** A fair-share clock on hand-driven wall and CPU clocks; scheduled closes run on `turnEnds()`. */
function harness() {
  const time = { wallMs: 100, cpuMs: 1000, loopIdleMs: 10, reads: 0 };
  let scheduled: Array<() => void> = [];
  const clock = new FairShareCpuClock(
    () => {
      time.reads++;
      return time.cpuMs;
    },
    () => time.wallMs,
    (task) => scheduled.push(task),
    () => time.loopIdleMs,
  );
  const figures = new Map<string, number[]>();
  const sink = (name: string): CpuSink => {
    const into: CpuSink = { add: (ms) => void figures.set(name, [...(figures.get(name) ?? []), ms]), sampledAt: () => into };
    return into;
  };
  return {
    clock,
    time,
    sink,
    figures,
    /** Time passes with the event loop running, the process busy at `cpuPerMs` CPU ms per wall ms. */
    pass(wallMs: number, cpuPerMs = 1) {
      time.wallMs += wallMs;
      time.cpuMs += wallMs * cpuPerMs;
    },
    /** Time passes with the event loop waiting for I/O. */
    wait(wallMs: number) {
      time.wallMs += wallMs;
      time.loopIdleMs += wallMs;
    },
    begin: () => clock.begin(time.wallMs),
    end: (mark: ReturnType<FairShareCpuClock['begin']>, into: CpuSink | undefined) =>
      clock.end(mark, into, time.wallMs),
    /** The event loop reaches its check phase: scheduled closes run. */
    turnEnds() {
      const tasks = scheduled;
      scheduled = [];
      for (const task of tasks) task();
    },
  };
}

describe('FairShareCpuClock', () => {
  it('charges a request alone with the process CPU over its lifetime', () => {
    const h = harness();
    h.pass(50, 0.1); // idle-time work before it: not its CPU
    const mark = h.begin();
    h.pass(3, 0.5);
    h.end(mark, h.sink('alone'));
    expect(h.figures.get('alone')).toBeUndefined();

    h.turnEnds();

    expect(h.figures.get('alone')).toEqual([1.5]);
  });

  it('splits the CPU of each moment evenly among the requests in flight', () => {
    const h = harness();
    const a = h.begin();
    h.pass(2); // a alone: 2 ms
    const b = h.begin();
    h.pass(2); // both: 1 ms each
    h.end(b, h.sink('b'));
    h.pass(1); // a alone again: 1 ms
    h.end(a, h.sink('a'));
    h.turnEnds();

    expect(h.figures.get('a')?.[0]).toBeCloseTo(4);
    expect(h.figures.get('b')?.[0]).toBeCloseTo(1);
  });

  it('counts the time up to the reading for the requests still in flight', () => {
    const h = harness();
    const long = h.begin();
    const short = h.begin();
    h.pass(1); // both: 0.5 ms each
    h.end(short, h.sink('short'));
    h.pass(1); // long alone until the turn ends
    h.turnEnds();
    h.end(long, h.sink('long'));
    h.clock.settle();

    expect(h.figures.get('short')?.[0]).toBeCloseTo(0.5);
    expect(h.figures.get('long')?.[0]).toBeCloseTo(1.5);
  });

  it('leaves out what the loop ran after the last request ended, before the reading', () => {
    const h = harness();
    const mark = h.begin();
    h.pass(1);
    h.end(mark, h.sink('request'));
    h.pass(4); // other callbacks of the same turn
    h.turnEnds();

    expect(h.figures.get('request')?.[0]).toBeCloseTo(1);
  });

  it('charges a request with what ran while it waited for I/O', () => {
    const h = harness();
    const mark = h.begin();
    h.pass(0.5);
    h.wait(5);
    h.pass(1); // a timer of someone else's while the request was in flight
    h.end(mark, h.sink('waiting'));
    h.turnEnds();

    expect(h.figures.get('waiting')?.[0]).toBeCloseTo(1.5);
  });

  it('reads the process clock once per event-loop turn, however many requests ended in it', () => {
    const h = harness();
    h.pass(5, 0);
    const readsBefore = h.time.reads;
    for (let request = 0; request < 20; request++) {
      const mark = h.begin();
      h.pass(0.025);
      h.end(mark, h.sink('hello'));
      h.pass(0.005);
    }
    h.turnEnds();

    // One reading for the first request (it started after idle time), one for the turn.
    expect(h.time.reads - readsBefore).toBe(2);
    const figures = h.figures.get('hello') ?? [];
    expect(figures).toHaveLength(20);
    // The requests' CPU is shared out, none of it lost; the gaps between them are not theirs.
    expect(figures.reduce((sum, ms) => sum + ms, 0)).toBeCloseTo(20 * 0.025, 9);
  });

  it('accumulates a long request over the intervals it spans', () => {
    const h = harness();
    const long = h.begin();
    for (let turn = 0; turn < 3; turn++) {
      h.pass(1);
      const short = h.begin();
      h.pass(1); // shared with one short request
      h.end(short, h.sink('short'));
      h.turnEnds();
    }
    h.pass(1);
    h.end(long, h.sink('long'));
    h.turnEnds();

    expect(h.figures.get('long')?.[0]).toBeCloseTo(3 * (1 + 0.5) + 1);
    for (const figure of h.figures.get('short') ?? []) expect(figure).toBeCloseTo(0.5);
    expect(h.figures.get('short')).toHaveLength(3);
  });

  it('still counts a request that records nothing as in flight', () => {
    const h = harness();
    const excluded = h.begin();
    const counted = h.begin();
    h.pass(2);
    h.end(excluded, undefined);
    h.pass(2);
    h.end(counted, h.sink('counted'));
    h.turnEnds();

    expect(h.figures.get('counted')?.[0]).toBeCloseTo(1 + 2);
  });

  it('never lets a failing sink escape from its own turn of the event loop', () => {
    const h = harness();
    const mark = h.begin();
    h.pass(1);
    const failing: CpuSink = {
      add: () => {
        throw new Error('sink failed');
      },
      sampledAt: () => failing,
    };
    h.end(mark, failing);

    expect(() => h.turnEnds()).not.toThrow();
  });

  it('hands pending figures over at settle(), before the turn ends', () => {
    const h = harness();
    const mark = h.begin();
    h.pass(2);
    h.end(mark, h.sink('flushed'));

    h.clock.settle();

    expect(h.figures.get('flushed')).toEqual([2]);
    h.turnEnds();
    expect(h.figures.get('flushed')).toEqual([2]);
  });

  it('reads the real process clock by default', () => {
    const clock = new FairShareCpuClock();
    const figures: number[] = [];
    const mark = clock.begin(performance.now());
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 20_000) {
      // 20 ms of CPU
    }
    const into: CpuSink = { add: (ms) => void figures.push(ms), sampledAt: () => into };
    clock.end(mark, into, performance.now());
    clock.settle();

    expect(figures[0]).toBeGreaterThanOrEqual(20);
  });
});
