import type { CpuClock } from '../cpu/cpu-clock';
import { requestStateOf } from './handler-stamp.guard';
import type { HttpRequestRecorder } from './http-request-recorder';
import type { RawResponse } from './request-state';

type Next = (error?: unknown) => void;

/** The part of Nest's Express and Fastify adapters the hooks need. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance(): unknown;
  /** Adds a raw-`(req, res, next)` middleware (Express itself; Fastify through @fastify/middie). */
  use(handler: (request: unknown, response: RawResponse, next: Next) => void): unknown;
}

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (request: { routeOptions?: { url?: string } }, reply: { raw: RawResponse }, done: Next) => void,
  ): unknown;
}

/**
 * Starts each request's measurement outside Nest's pipeline, as the first middleware: it is
 * added while modules are configured, before Nest applies any module's middleware, so requests
 * that a middleware answers (401 before routing) are measured too. With attributed CPU the rest
 * of the request runs inside its CPU account.
 *
 * Fastify runs middleware through @fastify/middie (which Nest always registers), where only the
 * raw request is known; a cheap `onRequest` hook then swaps in Fastify's request (for `http.tags`)
 * and its route template.
 *
 * @returns false for adapters other than Express and Fastify.
 */
export function installRequestHooks(adapter: HttpAdapterLike, recorder: HttpRequestRecorder, cpu: CpuClock | undefined): boolean {
  const type = adapter.getType();
  if (type !== 'express' && type !== 'fastify') return false;
  adapter.use(function statsdRequestStart(request, response, next) {
    const state = recorder.begin(request, response);
    if (state !== undefined && cpu !== undefined) cpu.run(state.cpuMark, next);
    else next();
  });
  if (type === 'fastify') {
    (adapter.getInstance() as FastifyLike).addHook('onRequest', function statsdFastifyRequest(request, reply, done) {
      const state = requestStateOf(reply.raw);
      if (state !== undefined && state.owner === recorder) {
        state.request = request;
        state.route = request.routeOptions?.url;
      }
      done();
    });
  }
  return true;
}
