import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { OutcomeSeries, timedCall } from '../measure/timed-call';
import type { StatsdRuntime, TagPairs } from '../runtime/statsd-runtime';
import { STATSD_RUNTIME } from '../statsd.constants';
import { handlerInfoFor } from './handler-info';
import { requestStateOf } from './handler-stamp.guard';
import { recorderFor, type HttpRequestRecorder } from './http-request-recorder';
import type { RawResponse } from './request-state';
import { routeTemplateOf } from './route-template';

/** Metric names of the non-HTTP contexts, after the prefix. */
const METRIC_BY_CONTEXT: Record<string, string> = { rpc: 'rpc.request', ws: 'ws.message', graphql: 'graphql.request' };

/**
 * Times handlers through Nest's interceptor pipeline: use it with `@UseInterceptors()`, for
 * non-HTTP contexts (microservices, WebSockets), or for HTTP with `http.mode: 'interceptor'`.
 * For HTTP it records exactly what the default hook-based path records (same recorder), and it
 * stays silent where that path already measures the request, so nothing is counted twice.
 *
 * Subclass and override `metricName` / `tags` to change the non-HTTP metrics.
 */
@Injectable()
export class StatsdInterceptor implements NestInterceptor {
  private readonly recorder: HttpRequestRecorder;
  private readonly seriesByHandler = new WeakMap<object, OutcomeSeries>();

  constructor(@Inject(STATSD_RUNTIME) private readonly runtime: StatsdRuntime) {
    this.recorder = recorderFor(runtime);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') return this.interceptHttp(context, next);
    const handler = context.getHandler();
    let series = this.seriesByHandler.get(handler);
    if (series === undefined) {
      series = new OutcomeSeries(this.runtime, this.metricName(context), this.tags(context));
      this.seriesByHandler.set(handler, series);
    }
    const measured = series;
    return timedCall(measured, () => next.handle());
  }

  /** Metric name (after the prefix) for a non-HTTP handler; called once per handler. */
  protected metricName(context: ExecutionContext): string {
    const type = context.getType<string>();
    return METRIC_BY_CONTEXT[type] ?? `${type}.request`;
  }

  /** Tags for a non-HTTP handler; called once per handler (`outcome` is added per call). */
  protected tags(context: ExecutionContext): TagPairs {
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
    const noteError = tap({ error: (error: unknown) => (state.error ??= error) });
    const cpu = this.runtime.cpu;
    if (cpu === undefined) return next.handle().pipe(noteError);
    return new Observable<unknown>((subscriber) => cpu.run(state.cpuMark, () => next.handle().pipe(noteError).subscribe(subscriber)));
  }
}
