import type { CpuClock } from './cpu-clock';

/** Where a request's CPU time goes (its series). */
export interface CpuSink {
  add(cpuMs: number): void;
  /** The sink of values measured with probability `rate` (sent with `|@rate`). */
  sampledAt(rate: number): CpuSink;
}

/**
 * Measures the CPU time of requests. Unlike `CpuClock`, a figure may become known only after the
 * request ended (a clock read once for many requests), so `end` hands it to a sink.
 */
export interface RequestCpuClock<Mark = unknown> {
  /** `now`: the request's start on `performance.now()`, which the caller has already read. */
  begin(now: number): Mark;
  /**
   * Whether `run` does anything: only attributed accounting runs the request's code inside its
   * measurement, and only for a measured (sampled) request, whose mark is defined.
   */
  readonly wrapsWork: boolean;
  /** Executes the request's code as part of its measurement (only attributed accounting needs it). */
  run<T>(mark: Mark, work: () => T): T;
  /**
   * Ends a measurement at `now` (`performance.now()`); its CPU time goes to `sink` (nowhere when
   * undefined) now or at `settle()`.
   */
  end(mark: Mark, sink: CpuSink | undefined, now: number): void;
  /** Hands every figure still pending to its sink (before a flush). */
  settle(): void;
}

/** A request clock that reports each figure as the request ends (the caller still owns `clock`). */
export function immediateRequestClock<Mark>(clock: CpuClock<Mark>): RequestCpuClock<Mark> {
  return {
    wrapsWork: true,
    begin: (now) => clock.begin(now),
    run: (mark, work) => clock.run(mark, work),
    end: (mark, sink) => {
      const figure = clock.end(mark);
      if (figure !== undefined) sink?.sampledAt(figure.rate).add(figure.ms);
    },
    settle: () => {},
  };
}
