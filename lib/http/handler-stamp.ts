import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { HANDLER_STAMP_INSTALLED } from '../statsd.constants';
import { handlerInfoFor, type HandlerInfo } from './handler-info';
import { patchPrototypeOnce } from './prototype-patch';
import { requestStateOf } from './request-state';
import { routeTemplateOf } from './route-template';

type RouteHandler = (this: unknown, request: unknown, response: unknown, next: unknown) => unknown;
type CreateRouteHandler = (this: unknown, instance: unknown, callback: unknown, ...rest: unknown[]) => unknown;

/**
 * Tells each request's measurement which controller and handler Nest routed it to, and the route
 * template. Nest builds one function per route at startup (`RouterExecutionContext.create`, the
 * function that runs guards, pipes, interceptors and the handler); wrapping what it returns costs
 * one function call per request, where a global guard costs Nest's guard pipeline (an execution
 * context and two awaits, measured at +4–17 µs per request). It runs before any guard, so a
 * request a guard rejects still names its handler.
 *
 * Process-wide: requests of apps without this module carry no measurement state, and the wrapper
 * leaves them alone. Must be installed before the routes are registered (module `configure()`).
 *
 * @returns false when this Nest version has no such method (handler tags are then missing).
 */
export function installHandlerStamp(): boolean {
  return patchPrototypeOnce<CreateRouteHandler>(
    RouterExecutionContext,
    'create',
    HANDLER_STAMP_INSTALLED,
    (original) =>
      function create(instance, callback, ...rest) {
        const routeHandler = original.call(this, instance, callback, ...rest);
        const controller = (instance as { constructor?: unknown } | null | undefined)?.constructor;
        if (typeof routeHandler !== 'function' || typeof callback !== 'function' || typeof controller !== 'function') {
          return routeHandler;
        }
        try {
          return stamping(routeHandler as RouteHandler, handlerInfoFor(controller, callback));
        } catch {
          return routeHandler; // the route works unstamped rather than the app failing to start
        }
      },
  );
}

function stamping(routeHandler: RouteHandler, info: HandlerInfo): RouteHandler {
  return function statsdHandlerStamp(this: unknown, request, response, next) {
    try {
      const state = requestStateOf(response);
      if (state !== undefined && state.handler === undefined) {
        state.handler = info;
        // From here on the framework's request (Fastify's, not Node's) is the one `http.tags` sees.
        state.request = request;
        state.route = routeTemplateOf(request);
      }
    } catch {
      // A request must reach its handler whatever its measurement state looks like.
    }
    return routeHandler.call(this, request, response, next);
  };
}
