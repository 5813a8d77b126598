import type { StatsD } from 'hot-shots';
import { AttributedCpuClock } from '../cpu/attributed-cpu-clock';
import { ProcessCpuClock, type CpuClock } from '../cpu/cpu-clock';
import { FairShareCpuClock } from '../cpu/fair-share-cpu-clock';
import { immediateRequestClock, type RequestCpuClock } from '../cpu/request-cpu-clock';
import { METRIC_FAMILIES } from '../options/metric-types';
import type { ResolvedStatsdOptions } from '../options/resolved-options';
import { detectOrigin, ENTITY_ID_TAG, originFields, type Origin } from '../origin/origin-detection';
import type { Tags } from '../options/statsd-options.interface';
import { ACTIVE_RUNTIME } from '../statsd.constants';
import {
  cardinalityLimitReached,
  closeTimedOut,
  droppedInvalidName,
  droppedInvalidValue,
  instrumentationFailed,
  metricNameLimitReached,
  metricTypeFallback,
  sendFailed,
} from '../statsd.messages';
import { RateLimitedLogger } from '../transport/rate-limited-logger';
import { HotShotsTransport } from '../transport/hot-shots-transport';
import { Aggregator } from '../wire/aggregator';
import { packDatagrams } from '../wire/datagram-packer';
import { sanitizeName } from '../wire/sanitize';
import { wireTypeFor, type MetricType } from '../wire/series-format';
import type { Series } from '../wire/series';

/** A tag list in wire order: `[key, value]` with values already turned into strings. */
export type TagPairs = ReadonlyArray<readonly [string, string]>;

/** Counters of a client's health, from `StatsdService.stats()`. */
export interface StatsdClientStats {
  /** Datagrams handed to the socket (not those dropped at the in-flight cap). */
  datagramsSent: number;
  /** Errors reported by the socket (agent down, DNS failure…). */
  sendErrors: number;
  /** Datagrams dropped because the connection was not draining (see `MAX_IN_FLIGHT_BYTES`). */
  queueFullDatagramsDropped: number;
  /** Lines longer than `maxPacketSize` on their own, dropped. */
  oversizedLinesDropped: number;
  /** Values that were NaN, infinite or beyond ±1e15, dropped. */
  invalidValuesDropped: number;
  /** Values of new metric names dropped past `maxMetricNames`. */
  nameLimitValuesDropped: number;
  /** TCP/UDS connections rebuilt after an error. */
  reconnects: number;
}

/** Values waiting beyond this trigger a flush before the interval, bounding memory. */
const MAX_PENDING_VALUES = 100_000;

/**
 * Everything one module registration owns: the aggregation, the connection, the CPU clock, the
 * flush timer and the rate-limited error log. `StatsdService`, the request recorder and
 * `@Measure()` all record into it.
 */
export class StatsdRuntime {
  readonly aggregator: Aggregator;
  readonly transport: HotShotsTransport;
  readonly cpu: CpuClock | undefined;
  /** The clock of requests: `cpu` itself, except in `'process-share'` mode (shares of the process's CPU). */
  readonly requestCpu: RequestCpuClock | undefined;
  readonly log: RateLimitedLogger;
  readonly globalTags: TagPairs;
  private readonly timer: NodeJS.Timeout;
  private pendingValues = 0;
  private flushScheduled = false;
  private closing: Promise<void> | undefined;
  private readonly companions: Array<{ report(): void; stop(): void }> = [];
  private readonly counters = { datagramsSent: 0, oversizedLinesDropped: 0, sendErrors: 0, invalidValuesDropped: 0 };

  constructor(readonly options: ResolvedStatsdOptions) {
    this.log = new RateLimitedLogger(options.errorLogInterval);
    const origin: Origin = options.flavor === 'dogstatsd' ? detectOrigin(options.originDetection) : {};
    // Datadog's clients add the entity ID to their constant tags: global, so not counted per metric.
    this.globalTags = [
      ...toTagPairs(options.globalTags),
      ...(origin.entityId === undefined ? [] : [[ENTITY_ID_TAG, origin.entityId] as const]),
    ];
    this.warnOfTypeFallbacks();
    this.aggregator = new Aggregator({
      flavor: options.flavor,
      sampleRate: options.sampleRate,
      originFields: originFields(origin),
      maxTagCombinations: options.maxTagCombinations,
      maxMetricNames: options.maxMetricNames,
      onCardinalityLimit: (name) => this.log.warn(cardinalityLimitReached(name, options.maxTagCombinations)),
      onNameLimit: () => this.log.warn(metricNameLimitReached(options.maxMetricNames)),
    });
    this.transport = new HotShotsTransport(options, (error) => this.reportSendError(error));
    this.cpu =
      options.cpu === 'attributed'
        ? new AttributedCpuClock(options.cpuBudget)
        : options.cpu === 'process-share'
          ? new ProcessCpuClock()
          : undefined;
    this.requestCpu =
      options.cpu === 'process-share' ? new FairShareCpuClock() : this.cpu === undefined ? undefined : immediateRequestClock(this.cpu);
    this.timer = setInterval(() => this.flush(), options.flushInterval);
    this.timer.unref();
    (globalThis as unknown as Record<symbol, StatsdRuntime | undefined>)[ACTIVE_RUNTIME] = this;
  }

  /** What was sent, dropped or failed since startup. */
  stats(): StatsdClientStats {
    return {
      ...this.counters,
      queueFullDatagramsDropped: this.transport.droppedDatagrams,
      nameLimitValuesDropped: this.aggregator.droppedForNameLimit,
      reconnects: this.transport.reconnects,
    };
  }

  /** The hot-shots client whose connection is used. */
  get client(): StatsD {
    return this.transport.client;
  }

  /**
   * The series of `name` (already scoped, not yet prefixed) with the given tags after the global
   * ones; `undefined` (and a rate-limited log) when the name is unusable or over the limit.
   */
  series(type: MetricType, name: string, tags: TagPairs): Series | undefined {
    const fullName = typeof name === 'string' ? sanitizeName(this.options.prefix + name) : '';
    if (fullName === '' || fullName === sanitizeName(this.options.prefix)) return this.rejectName(name);
    const allTags = tags.length === 0 ? this.globalTags : [...this.globalTags, ...tags];
    return this.aggregator.series(fullName, type, allTags, this.globalTags.length);
  }

  /** Logs an unusable metric name; returns no series. */
  rejectName(name: unknown): undefined {
    this.log.error('invalid-name', () => droppedInvalidName(name));
    return undefined;
  }

  /** Whether a value is kept under the configured sample rate. */
  sampled(): boolean {
    return this.options.sampleRate >= 1 || Math.random() < this.options.sampleRate;
  }

  /** Counts values recorded outside `Series` bookkeeping, and flushes early when too many wait. */
  notePending(count: number): void {
    this.pendingValues += count;
    if (this.pendingValues >= MAX_PENDING_VALUES && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Logs a value that cannot be sent. */
  reportInvalidValue(metric: string, value: unknown): void {
    this.counters.invalidValuesDropped++;
    this.log.error('invalid-value', () => droppedInvalidValue(metric, value));
  }

  /** Logs a failure of our own instrumentation (never rethrown into the application). */
  reportInstrumentationError(where: string, error: unknown): void {
    this.log.error(`instrumentation:${where}`, () => instrumentationFailed(where, error));
  }

  /** Ties a periodic reporter to this runtime: it reports a last time and stops at close. */
  attach(companion: { report(): void; stop(): void }): void {
    this.companions.push(companion);
  }

  /** Sends everything recorded so far. Never throws. */
  flush(): void {
    this.flushScheduled = false;
    this.pendingValues = 0;
    try {
      this.requestCpu?.settle();
      const max = this.options.maxPacketSize;
      const { datagrams, oversized } = packDatagrams(this.aggregator.drainLines(max), max);
      this.counters.oversizedLinesDropped += oversized;
      for (const datagram of datagrams) {
        if (this.transport.send(datagram)) this.counters.datagramsSent++;
      }
    } catch (error) {
      this.reportInstrumentationError('flush', error);
    }
  }

  /** Final flush, then closes the connection within `closeTimeout`. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      for (const companion of this.companions) {
        try {
          companion.report();
          companion.stop();
        } catch (error) {
          this.reportInstrumentationError('shutdown', error);
        }
      }
      this.flush();
      const outcome = await this.transport.close(this.options.closeTimeout);
      if (outcome === 'timed-out') this.log.warn(closeTimedOut(this.options.closeTimeout));
      this.cpu?.dispose();
      const holder = globalThis as unknown as Record<symbol, StatsdRuntime | undefined>;
      if (holder[ACTIVE_RUNTIME] === this) holder[ACTIVE_RUNTIME] = undefined;
    })();
    return this.closing;
  }

  /** Startup warning: a family asks for a type the flavor's servers do not have. */
  private warnOfTypeFallbacks(): void {
    const { flavor, metricTypes } = this.options;
    const replaced = METRIC_FAMILIES.filter((family) => wireTypeFor(flavor, metricTypes[family]) !== metricTypes[family]);
    if (replaced.length > 0) this.log.warn(metricTypeFallback(replaced, flavor));
  }

  private reportSendError(error: unknown): void {
    this.counters.sendErrors++;
    this.log.error('send', (suppressed) => sendFailed(error, suppressed));
  }
}

/** Turns a tag object into wire-ordered pairs with string values. */
export function toTagPairs(tags: Tags | undefined): TagPairs {
  if (tags === undefined) return [];
  const pairs: Array<readonly [string, string]> = [];
  for (const key of Object.keys(tags)) pairs.push([key, String(tags[key])]);
  return pairs;
}
