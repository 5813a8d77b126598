import { performance } from 'node:perf_hooks';
import { isObservable, Observable } from 'rxjs';
import type { CpuFigure } from '../cpu/cpu-clock';
import type { MetricFamily } from '../options/statsd-options.interface';
import type { StatsdRuntime, TagPairs } from '../runtime/statsd-runtime';
import type { Series } from '../wire/series';

/** How a measured call ended; sent as the `outcome` tag. */
export type Outcome = 'success' | 'error' | 'cancelled';

/**
 * The wall and CPU series of one measured name per outcome, resolved once per runtime and then
 * reused by every call; their type is the one `metricTypes` gives `family`.
 */
export class OutcomeSeries {
  private readonly resolved = new Map<Outcome, readonly [Series | undefined, Series | undefined]>();

  constructor(
    readonly runtime: StatsdRuntime,
    private readonly family: MetricFamily,
    private readonly name: string,
    private readonly tags: TagPairs,
  ) {}

  /** Records one call; `cpu` is undefined when CPU is off or this call was not sampled. */
  record(outcome: Outcome, wallMs: number, cpu: CpuFigure | undefined): void {
    let pair = this.resolved.get(outcome);
    if (pair === undefined) {
      const tags: TagPairs = [...this.tags, ['outcome', outcome]];
      const type = this.runtime.options.metricTypes[this.family];
      pair = [
        this.runtime.series(type, this.name, tags),
        this.runtime.cpu === undefined ? undefined : this.runtime.series(type, `${this.name}.cpu`, tags),
      ];
      this.resolved.set(outcome, pair);
    }
    pair[0]?.add(wallMs);
    if (cpu !== undefined) pair[1]?.sampledAt(cpu.rate).add(cpu.ms);
    this.runtime.notePending(2);
  }
}

/**
 * Runs `invoke` and records its wall and CPU time under `series`: synchronous results at once,
 * Promises when they settle (a thenable that is not a Promise is returned untouched, never
 * executed), Observables from subscribe to complete or error. Errors are rethrown unchanged, and
 * a failure to record never reaches the caller.
 */
export function timedCall<T>(series: OutcomeSeries, invoke: () => T): T {
  const { runtime } = series;
  const clock = runtime.cpu;
  const start = performance.now();
  const mark = clock?.begin();
  let result: T;
  try {
    result = clock ? clock.run(mark, invoke) : invoke();
  } catch (error) {
    finish(series, 'error', start, mark);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        finish(series, 'success', start, mark);
        return value;
      },
      (error: unknown) => {
        finish(series, 'error', start, mark);
        throw error;
      },
    ) as T;
  }
  if (isObservable(result)) return timedObservable(series, result) as T;
  finish(series, 'success', start, mark);
  return result;
}

/**
 * Times `source` from subscribe to complete (`success`), error (`error`) or unsubscribe
 * (`cancelled`); the subscription runs inside the measurement's CPU account.
 */
export function timedObservable<V>(series: OutcomeSeries, source: Observable<V>): Observable<V> {
  return new Observable<V>((subscriber) => {
    const clock = series.runtime.cpu;
    const start = performance.now();
    const mark = clock?.begin();
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      finish(series, outcome, start, mark);
    };
    const subscribe = () =>
      source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          settle('error');
          subscriber.error(error);
        },
        complete: () => {
          settle('success');
          subscriber.complete();
        },
      });
    const subscription = clock ? clock.run(mark, subscribe) : subscribe();
    return () => {
      subscription.unsubscribe();
      settle('cancelled');
    };
  });
}

function finish(series: OutcomeSeries, outcome: Outcome, start: number, mark: unknown): void {
  try {
    const wallMs = performance.now() - start;
    series.record(outcome, wallMs, series.runtime.cpu?.end(mark));
  } catch (error) {
    series.runtime.reportInstrumentationError('measure', error);
  }
}
