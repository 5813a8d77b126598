import type { OnApplicationShutdown } from '@nestjs/common';
import type { StatsD } from 'hot-shots';
import { performance } from 'node:perf_hooks';
import { OutcomeSeries, timedCall } from './measure/timed-call';
import type { Tags } from './options/statsd-options.interface';
import { toTagPairs, type StatsdClientStats, type StatsdRuntime, type TagPairs } from './runtime/statsd-runtime';
import { sanitizeSetMember, isWireSafeNumber } from './wire/sanitize';
import { wireTypeFor, type MetricType } from './wire/series-format';
import type { Series } from './wire/series';

/** What a child client adds to every metric it records. */
export interface StatsdScope {
  /** Prepended to metric names (after the module prefix); the `.` separator is added. */
  prefix?: string;
  /** Tags added after the global tags. */
  tags?: Tags;
}

/** Cached series per client are cleared past this size, so hostile input cannot grow it. */
const MAX_CACHED_SERIES = 10_000;

/**
 * The injectable StatsD client. Values are aggregated in memory and sent at the flush interval
 * (several values per line, several lines per datagram), so recording costs no I/O.
 *
 * @example
 * constructor(private readonly statsd: StatsdService) {}
 * this.statsd.increment('orders.created', 1, { channel: 'web' });
 */
export class StatsdService implements OnApplicationShutdown {
  private readonly prefix: string;
  private readonly scopeTags: TagPairs;
  private readonly seriesCache = new Map<string, Series | undefined>();
  private readonly measured = new Map<string, OutcomeSeries>();

  /** @internal Created by the module; use `child()` for scoped clients. */
  constructor(
    private readonly runtime: StatsdRuntime,
    scope: { prefix: string; tags: TagPairs } = { prefix: '', tags: [] },
  ) {
    this.prefix = scope.prefix;
    this.scopeTags = scope.tags;
  }

  /** The hot-shots client whose connection is used (for events, service checks, raw access). */
  get client(): StatsD {
    return this.runtime.client;
  }

  /** Adds `value` (default 1) to a counter. */
  increment(name: string, value: number = 1, tags?: Tags): void {
    this.record('c', name, value, tags);
  }

  /** Subtracts `value` (default 1) from a counter. */
  decrement(name: string, value: number = 1, tags?: Tags): void {
    this.record('c', name, -value, tags);
  }

  /** Sets a gauge; only the last value of each flush interval is sent. */
  gauge(name: string, value: number, tags?: Tags): void {
    this.record('g', name, value, tags);
  }

  /** Records a duration in milliseconds. */
  timing(name: string, milliseconds: number, tags?: Tags): void {
    this.record('ms', name, milliseconds, tags);
  }

  /** Records a histogram value (DogStatsD `h`; a timing, `ms`, with `flavor: 'statsd'`). */
  histogram(name: string, value: number, tags?: Tags): void {
    this.record('h', name, value, tags);
  }

  /** Records a distribution value (DogStatsD `d`; a timing, `ms`, with the other flavors). */
  distribution(name: string, value: number, tags?: Tags): void {
    this.record('d', name, value, tags);
  }

  /** Counts a distinct member of a set. */
  set(name: string, member: string | number, tags?: Tags): void {
    try {
      this.resolve('s', name, tags)?.addMember(sanitizeSetMember(String(member)));
      this.runtime.notePending(1);
    } catch (error) {
      this.runtime.reportInstrumentationError('set', error);
    }
  }

  /**
   * Runs `work` (sync or async) and records its wall time as `name` and its CPU time as
   * `name.cpu`, tagged `outcome:success|error`; returns what `work` returns, rethrows what it throws.
   */
  measure<T>(name: string, work: () => T, tags?: Tags): T {
    const key = tags === undefined ? name : cacheKey('m', name, tags);
    let series = this.measured.get(key);
    if (series === undefined) {
      series = new OutcomeSeries(this.runtime, 'block', this.prefix + name, [...this.scopeTags, ...toTagPairs(tags)]);
      if (this.measured.size >= MAX_CACHED_SERIES) this.measured.clear();
      this.measured.set(key, series);
    }
    return timedCall(series, work);
  }

  /**
   * Starts a wall-clock timer; the returned function records it (with extra tags) and returns the
   * ms. Recorded with the type `metricTypes.block` gives (a timing by default).
   */
  startTimer(name: string, tags?: Tags): (extraTags?: Tags) => number {
    const start = performance.now();
    return (extraTags?: Tags) => {
      const elapsed = performance.now() - start;
      this.record(this.runtime.options.metricTypes.block, name, elapsed, extraTags ? { ...tags, ...extraTags } : tags);
      return elapsed;
    };
  }

  /** A client that adds a name prefix and tags to every metric, sharing this connection. */
  child(scope: StatsdScope): StatsdService {
    const prefix = scope.prefix ? (scope.prefix.endsWith('.') ? scope.prefix : `${scope.prefix}.`) : '';
    return new StatsdService(this.runtime, {
      prefix: this.prefix + prefix,
      tags: [...this.scopeTags, ...toTagPairs(scope.tags)],
    });
  }

  /** What was sent, dropped or failed since startup (shared by every child of this client). */
  stats(): StatsdClientStats {
    return this.runtime.stats();
  }

  /** Sends everything recorded so far, without waiting for the flush interval. */
  flush(): void {
    this.runtime.flush();
  }

  /** Flushes and closes the connection (bounded by `closeTimeout`) when the application stops. */
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }

  private record(type: MetricType, name: string, value: number, tags: Tags | undefined): void {
    try {
      if (!isWireSafeNumber(value) || (value < 0 && this.isTimingOnWire(type))) {
        this.runtime.reportInvalidValue(this.runtime.options.prefix + this.prefix + String(name), value);
        return;
      }
      if (!this.runtime.sampled()) return;
      const series = this.resolve(type, name, tags);
      if (series === undefined) return;
      series.add(value);
      this.runtime.notePending(1);
    } catch (error) {
      this.runtime.reportInstrumentationError(type, error);
    }
  }

  /** A negative timing is a bad line for StatsD servers (Etsy's daemon rejects it). */
  private isTimingOnWire(type: MetricType): boolean {
    return wireTypeFor(this.runtime.options.flavor, type) === 'ms';
  }

  private resolve(type: MetricType, name: string, tags: Tags | undefined): Series | undefined {
    if (typeof name !== 'string') return this.runtime.rejectName(name);
    const key = cacheKey(type, name, tags);
    if (this.seriesCache.has(key)) return this.seriesCache.get(key);
    const scopedTags = tags === undefined ? this.scopeTags : [...this.scopeTags, ...toTagPairs(tags)];
    const series = this.runtime.series(type, this.prefix + name, scopedTags);
    if (this.seriesCache.size >= MAX_CACHED_SERIES) this.seriesCache.clear();
    this.seriesCache.set(key, series);
    return series;
  }
}

function cacheKey(type: string, name: string, tags: Tags | undefined): string {
  let key = `${type}\u0000${name}`;
  if (tags !== undefined) for (const tagKey of Object.keys(tags)) key += `\u0000${tagKey}\u0001${String(tags[tagKey])}`;
  return key;
}
