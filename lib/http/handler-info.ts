import { SKIP_METRICS_METADATA } from '../statsd.constants';

/**
 * What is static about a route handler, computed on its first request and kept for the life of
 * the process: names and whether metrics are skipped.
 */
export interface HandlerInfo {
  readonly controller: string;
  readonly handler: string;
  readonly skip: boolean;
}

// By class, then method: a method inherited from a base controller is one function serving
// several controllers, each of which must be named.
const infoByController = new WeakMap<object, WeakMap<object, HandlerInfo>>();

/** The (cached) description of a handler of a controller class. */
export function handlerInfoFor(controller: { name: string }, handler: { name: string }): HandlerInfo {
  let infoByHandler = infoByController.get(controller);
  if (infoByHandler === undefined) {
    infoByHandler = new WeakMap();
    infoByController.set(controller, infoByHandler);
  }
  let info = infoByHandler.get(handler);
  if (info === undefined) {
    info = {
      controller: controller.name || 'anonymous',
      handler: handler.name || 'anonymous',
      skip:
        Reflect.getMetadata(SKIP_METRICS_METADATA, handler) === true ||
        Reflect.getMetadata(SKIP_METRICS_METADATA, controller) === true,
    };
    infoByHandler.set(handler, info);
  }
  return info;
}
