import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { defer, Observable, tap } from 'rxjs';
import { OutcomeSeries, timedObservable } from '../measure/timed-call';
import type { MetricFamily } from '../options/statsd-options.interface';
import type { StatsdRuntime, TagPairs } from '../runtime/statsd-runtime';
import { rpcHandlerTags } from '../rpc/rpc-handler-tags';
import { MEASURED_CONTEXT, STATSD_RUNTIME } from '../statsd.constants';
import { wsHandlerTags } from '../ws/ws-handler-tags';
import { handlerInfoFor } from './handler-info';
import { recorderFor, type HttpRequestRecorder } from './http-request-recorder';
import { requestStateOf, type RawResponse } from './request-state';
import { routeTemplateOf } from './route-template';

/** Metric names of the non-HTTP contexts, after the prefix. */
const METRIC_BY_CONTEXT: Record<string, string> = { rpc: 'rpc.request', ws: 'ws.message' };

/** Whose `metricTypes` entry a context follows: gateways `ws`, every other non-HTTP context `rpc`. */
function familyOf(contextType: string): MetricFamily {
  return contextType === 'ws' ? 'ws' : 'rpc';
}

type MarkedContext = ExecutionContext & { [MEASURED_CONTEXT]?: true };

/**
 * Times handlers through Nest's interceptor pipeline: microservice handlers
 * (`<prefix>.rpc.request`), gateway messages (`<prefix>.ws.message`), and HTTP with
 * `http.mode: 'interceptor'` or `@UseInterceptors()`. For HTTP it records exactly what the
 * default hook-based path records (same recorder), and it stays silent where that path already
 * measures the request. A call is measured once however many times the interceptor is applied
 * (global and `@UseInterceptors()`, two module registrations). In the `graphql` context it
 * records nothing: operations are measured once each by `StatsdGraphqlPlugin`, never per field.
 * Handlers or classes marked `@SkipMetrics()` are not measured.
 *
 * Subclass and override `metricName` / `tags` to change the non-HTTP metrics.
 */
@Injectable()
export class StatsdInterceptor implements NestInterceptor {
  private readonly recorder: HttpRequestRecorder;
  // By handler description (one per class and method); `null`: marked @SkipMetrics().
  private readonly seriesByHandler = new WeakMap<object, OutcomeSeries | null>();

  constructor(@Inject(STATSD_RUNTIME) private readonly runtime: StatsdRuntime) {
    this.recorder = recorderFor(runtime);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const type = context.getType<string>();
    if (type === 'http') return this.interceptHttp(context, next);
    if (type === 'graphql') return next.handle();
    // Nest passes one context object through a handler's whole interceptor chain.
    const marked = context as MarkedContext;
    if (marked[MEASURED_CONTEXT] === true) return next.handle();
    marked[MEASURED_CONTEXT] = true;
    const info = handlerInfoFor(context.getClass(), context.getHandler());
    let series = this.seriesByHandler.get(info);
    if (series === undefined) {
      series = info.skip ? null : new OutcomeSeries(this.runtime, familyOf(type), this.metricName(context), this.tags(context));
      this.seriesByHandler.set(info, series);
    }
    if (series === null) return next.handle();
    // Nest binds the handler to the async context current when `handle()` is called, so it is
    // called at subscribe time, inside the measurement's CPU account.
    return timedObservable(series, defer(() => next.handle()));
  }

  /** Metric name (after the prefix) for a non-HTTP handler; called once per handler. */
  protected metricName(context: ExecutionContext): string {
    const type = context.getType<string>();
    return METRIC_BY_CONTEXT[type] ?? `${type}.request`;
  }

  /**
   * Tags for a non-HTTP handler; called once per handler (`outcome` is added per call):
   * `controller, handler, pattern, kind` for microservices, `gateway, handler, event` for
   * WebSockets, `controller, handler` otherwise.
   */
  protected tags(context: ExecutionContext): TagPairs {
    const type = context.getType<string>();
    if (type === 'rpc') return rpcHandlerTags(context.getClass(), context.getHandler());
    if (type === 'ws') return wsHandlerTags(context.getClass(), context.getHandler());
    return [
      ['controller', context.getClass().name],
      ['handler', context.getHandler().name],
    ];
  }

  private interceptHttp(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.runtime.options.http.enabled) return next.handle();
    const response = context.getArgByIndex<{ raw?: RawResponse } & RawResponse>(1);
    if (requestStateOf(response) !== undefined) return next.handle();
    const request = context.getArgByIndex<unknown>(0);
    const state = this.recorder.begin(request, response.raw ?? response);
    if (state === undefined) return next.handle();
    state.handler = handlerInfoFor(context.getClass(), context.getHandler());
    state.route = routeTemplateOf(request);
    // The ExceptionsHandler hook normally sets the error first; this covers Nest versions where it
    // could not be installed, for the exceptions an interceptor can see.
    const noteError = tap({ error: (error: unknown) => (state.error ??= error) });
    const cpu = this.runtime.requestCpu;
    if (cpu?.wrapsWork !== true || state.cpuMark === undefined) return next.handle().pipe(noteError);
    return new Observable<unknown>((subscriber) => cpu.run(state.cpuMark, () => next.handle().pipe(noteError).subscribe(subscriber)));
  }
}
