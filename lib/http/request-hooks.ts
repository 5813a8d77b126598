import type { CpuClock } from '../cpu/cpu-clock';
import type { HttpRequestRecorder } from './http-request-recorder';
import type { RawResponse } from './request-state';

type Next = (error?: unknown) => void;
interface ExpressLike {
  use(handler: (request: unknown, response: RawResponse, next: Next) => void): unknown;
}
interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (request: { routeOptions?: { url?: string } }, reply: { raw: RawResponse }, done: Next) => void,
  ): unknown;
}

/**
 * Starts each request's measurement at the adapter level, outside Nest's pipeline: an Express
 * middleware registered before Nest's routes, or a Fastify `onRequest` hook. With attributed CPU
 * the rest of the request runs inside its CPU account.
 *
 * @returns false for adapters other than Express and Fastify.
 */
export function installRequestHooks(
  adapterType: string,
  instance: unknown,
  recorder: HttpRequestRecorder,
  cpu: CpuClock | undefined,
): boolean {
  if (adapterType === 'express') {
    (instance as ExpressLike).use(function statsdRequestStart(request, response, next) {
      const state = recorder.begin(request, response);
      if (state !== undefined && cpu !== undefined) cpu.run(state.cpuMark, next);
      else next();
    });
    return true;
  }
  if (adapterType === 'fastify') {
    (instance as FastifyLike).addHook('onRequest', function statsdRequestStart(request, reply, done) {
      const state = recorder.begin(request, reply.raw);
      if (state !== undefined) state.route = request.routeOptions?.url;
      if (state !== undefined && cpu !== undefined) cpu.run(state.cpuMark, done);
      else done();
    });
    return true;
  }
  return false;
}
