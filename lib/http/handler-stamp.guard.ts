import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { REQUEST_STATE } from '../statsd.constants';
import { handlerInfoFor } from './handler-info';
import type { RequestState } from './request-state';
import { routeTemplateOf } from './route-template';

/**
 * A global guard that never rejects: it tells the request's measurement which controller and
 * handler Nest routed it to, and the route template. It is the cheapest point of Nest's pipeline
 * that knows the handler (an interceptor costs far more per request).
 */
export class HandlerStampGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const state = requestStateOf(context.getArgByIndex(1));
    if (state !== undefined && state.handler === undefined) {
      state.handler = handlerInfoFor(context.getClass(), context.getHandler());
      state.route ??= routeTemplateOf(context.getArgByIndex(0));
    }
    return true;
  }
}

/** The measurement state of a request, from Express' response or Fastify's reply. */
export function requestStateOf(response: unknown): RequestState | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const raw = (response as { raw?: object }).raw ?? response;
  return (raw as Record<symbol, RequestState | undefined>)[REQUEST_STATE];
}
