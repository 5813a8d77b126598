import { performance } from 'node:perf_hooks';
import type { CpuSink } from '../cpu/request-cpu-clock';
import { toTagPairs, type StatsdRuntime, type TagPairs } from '../runtime/statsd-runtime';
import { REQUEST_STATE } from '../statsd.constants';
import type { MetricType } from '../wire/series-format';
import type { HandlerInfo } from './handler-info';
import type { RequestSeries } from './request-series';
import { endedByApplication, RequestState, type RawResponse, type StateHolder } from './request-state';
import { errorNameOf, routeTagOf, routeTemplateOf, statusClassOf } from './route-template';

/** The series of one handler (or of requests without one), by kind of request. */
interface SeriesCache {
  readonly byKey: Map<string, RequestSeries>;
  last: { method: string; route: string; status: number; errorName: string; series: RequestSeries } | undefined;
}

const NO_TAGS: TagPairs = [];

/** Status reported when the client went away before the application ended its response (nginx's code). */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * Records `<prefix>.http.request` and `.cpu` for each request: `begin` when it arrives, `finish`
 * when the raw response closes, so the status is the one the client received (after exception
 * filters, redirects and streams) and the duration covers the whole response.
 */
export class HttpRequestRecorder {
  private readonly unhandledSeries: SeriesCache = { byKey: new Map(), last: undefined };
  // Per recorder, not on the (process-wide) HandlerInfo: series belong to this runtime's
  // aggregator, and another app or registration in the process has its own.
  private readonly seriesByHandler = new WeakMap<HandlerInfo, SeriesCache>();
  private readonly excludedByRoute = new Map<string, boolean>();
  private readonly wallName: string;
  private readonly cpuName: string;
  private readonly type: MetricType;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly runtime: StatsdRuntime) {
    this.wallName = runtime.options.http.metricName;
    this.cpuName = `${this.wallName}.cpu`;
    this.type = runtime.options.metricTypes.http;
  }

  /**
   * Starts measuring a request; `undefined` when another registration already measures it.
   * Never throws: it runs before the application sees the request.
   */
  begin(request: unknown, response: RawResponse): RequestState | undefined {
    try {
      const holder = response as unknown as StateHolder;
      if (holder[REQUEST_STATE] !== undefined) return undefined;
      const startedAt = performance.now();
      const state = new RequestState(request, startedAt, this);
      response.on('close', onResponseClose);
      // Last of what can throw: a clock that began a measurement is always ended.
      state.cpuMark = this.runtime.requestCpu?.begin(startedAt);
      holder[REQUEST_STATE] = state;
      this.inFlight++;
      return state;
    } catch (error) {
      this.runtime.reportInstrumentationError('request start', error);
      return undefined;
    }
  }

  /** Resolves once every request begun so far has been recorded (for tests). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Records the request whose response just closed. Never throws. */
  finish(state: RequestState, response: RawResponse): void {
    const endedAt = performance.now();
    let cpuSeries: CpuSink | undefined;
    try {
      cpuSeries = this.record(state, response, endedAt - state.startedAt);
    } catch (error) {
      this.runtime.reportInstrumentationError('request metrics', error);
    }
    try {
      // Also for requests not recorded: the clock counts the requests in flight.
      this.runtime.requestCpu?.end(state.cpuMark, cpuSeries, endedAt);
    } catch (error) {
      this.runtime.reportInstrumentationError('request cpu', error);
    }
    if (--this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Adds the request's wall time to its series; returns the series its CPU time goes to. */
  private record(state: RequestState, response: RawResponse, wallMs: number): CpuSink | undefined {
    const handler = state.handler;
    if (handler?.skip) return undefined;
    const status = endedByApplication(response) ? response.statusCode : CLIENT_CLOSED_REQUEST;
    const route = routeTagOf(state.route ?? routeTemplateOf(state.request), handler !== undefined, status);
    if (this.isExcluded(route)) return undefined;
    if (!this.runtime.sampled()) return undefined;
    const series = this.seriesFor(handler, route, response.req?.method ?? 'UNKNOWN', status, state);
    series.wall?.add(wallMs);
    this.runtime.notePending(2);
    return series.cpu;
  }

  private seriesFor(handler: HandlerInfo | undefined, route: string, method: string, status: number, state: RequestState): RequestSeries {
    const errorName = state.error === undefined ? '' : errorNameOf(state.error);
    const extraTags = this.extraTags(state.request);
    const cache = handler === undefined ? this.unhandledSeries : this.handlerSeries(handler);
    const last = cache.last;
    // Most requests to a handler repeat its last kind (same route, method, status): no key to build.
    if (extraTags.length === 0 && last?.status === status && last.route === route && last.method === method && last.errorName === errorName) {
      return last.series;
    }
    let key = `${method}\u0000${route}\u0000${status}\u0000${errorName}`;
    for (const [tagKey, value] of extraTags) key += `\u0000${tagKey}\u0001${value}`;
    let series = cache.byKey.get(key);
    if (series === undefined) {
      const tags: Array<readonly [string, string]> = handler ? [['controller', handler.controller], ['handler', handler.handler]] : [];
      tags.push(['route', route], ['method', method], ['status', String(status)], ['status_class', statusClassOf(status)]);
      if (errorName !== '') tags.push(['error', errorName]);
      tags.push(...extraTags);
      series = {
        wall: this.runtime.series(this.type, this.wallName, tags),
        cpu: this.runtime.cpu ? this.runtime.series(this.type, this.cpuName, tags) : undefined,
      };
      // Hostile extra tags could grow this cache; the aggregator already folds them, so reset it.
      if (cache.byKey.size >= 10_000) cache.byKey.clear();
      cache.byKey.set(key, series);
    }
    if (extraTags.length === 0) cache.last = { method, route, status, errorName, series };
    return series;
  }

  private handlerSeries(handler: HandlerInfo): SeriesCache {
    let cache = this.seriesByHandler.get(handler);
    if (cache === undefined) {
      cache = { byKey: new Map(), last: undefined };
      this.seriesByHandler.set(handler, cache);
    }
    return cache;
  }

  private extraTags(request: unknown): TagPairs {
    const tagsOf = this.runtime.options.http.tags;
    if (tagsOf === undefined) return NO_TAGS;
    try {
      return toTagPairs(tagsOf(request));
    } catch (error) {
      this.runtime.reportInstrumentationError('http.tags', error);
      return [];
    }
  }

  private isExcluded(route: string): boolean {
    let excluded = this.excludedByRoute.get(route);
    if (excluded === undefined) {
      excluded = this.runtime.options.http.exclude.some((pattern) =>
        typeof pattern === 'string'
          ? pattern.endsWith('*')
            ? route.startsWith(pattern.slice(0, -1))
            : route === pattern
          : pattern.test(route),
      );
      if (this.excludedByRoute.size < 10_000) this.excludedByRoute.set(route, excluded);
    }
    return excluded;
  }
}

function onResponseClose(this: RawResponse): void {
  const state = (this as unknown as StateHolder)[REQUEST_STATE];
  state?.owner.finish(state, this);
}

const recorders = new WeakMap<StatsdRuntime, HttpRequestRecorder>();

/** The recorder of a runtime (one per module registration). */
export function recorderFor(runtime: StatsdRuntime): HttpRequestRecorder {
  let recorder = recorders.get(runtime);
  if (recorder === undefined) {
    recorder = new HttpRequestRecorder(runtime);
    recorders.set(runtime, recorder);
  }
  return recorder;
}
