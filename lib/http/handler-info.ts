import { SKIP_METRICS_METADATA } from '../statsd.constants';
import type { RequestSeries } from './request-series';

/**
 * What is static about a route handler, computed on its first request and kept for the life of
 * the process: names, whether metrics are skipped, and the series it already resolved.
 */
export interface HandlerInfo {
  readonly controller: string;
  readonly handler: string;
  readonly skip: boolean;
  /** Series by method, route, status and error, filled as they occur. */
  readonly series: Map<string, RequestSeries>;
}

const infoByHandler = new WeakMap<object, HandlerInfo>();

/** The (cached) description of a handler of a controller class. */
export function handlerInfoFor(controller: { name: string }, handler: { name: string }): HandlerInfo {
  let info = infoByHandler.get(handler);
  if (info === undefined) {
    info = {
      controller: controller.name || 'anonymous',
      handler: handler.name || 'anonymous',
      skip:
        Reflect.getMetadata(SKIP_METRICS_METADATA, handler) === true ||
        Reflect.getMetadata(SKIP_METRICS_METADATA, controller) === true,
      series: new Map(),
    };
    infoByHandler.set(handler, info);
  }
  return info;
}
