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

type RequestHandler = (request: unknown, response: RawResponse, next?: Next) => unknown;
interface ExpressLike {
  handle: RequestHandler;
}

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (
      request: { routeOptions?: { url?: string } },
      reply: { raw: RawResponse },
      done: Next,
    ) => void,
  ): unknown;
}

/**
 * Starts each request's measurement outside Nest's pipeline, before any middleware, so requests
 * that a middleware answers (401 before routing) are measured too. With attributed CPU the rest
 * of the request runs inside its CPU account.
 *
 * @returns false for adapters other than Express and Fastify.
 */
export function installRequestHooks(
  adapter: HttpAdapterLike,
  recorder: HttpRequestRecorder,
  cpu: CpuClock | undefined,
): boolean {
  const type = adapter.getType();
  if (type === 'express') wrapExpressEntry(adapter.getInstance() as ExpressLike, recorder, cpu);
  else if (type === 'fastify') addFastifyHooks(adapter, recorder, cpu);
  else return false;
  return true;
}

/**
 * Express: wraps `app.handle`, the entry every request goes through (the server calls the app,
 * the app calls `handle`). One function call per request, where a middleware would add a layer
 * to Express's router (measured at several µs per request on Express 5), and the body parsers
 * are inside the measurement.
 */
function wrapExpressEntry(
  app: ExpressLike,
  recorder: HttpRequestRecorder,
  cpu: CpuClock | undefined,
): void {
  const handle = app.handle;
  app.handle = function statsdRequestStart(this: unknown, request, response, next) {
    const state = recorder.begin(request, response);
    if (state === undefined || cpu === undefined) return handle.call(this, request, response, next);
    return cpu.run(state.cpuMark, () => handle.call(this, request, response, next));
  };
}

/**
 * Fastify runs middleware through @fastify/middie (which Nest always registers) in an `onRequest`
 * hook added before any of ours, so the measurement starts as the first middie middleware (it is
 * added while modules are configured, before Nest applies theirs). There only the raw request is
 * known; a cheap `onRequest` hook then swaps in Fastify's request (for `http.tags`) and its route.
 */
function addFastifyHooks(
  adapter: HttpAdapterLike,
  recorder: HttpRequestRecorder,
  cpu: CpuClock | undefined,
): void {
  adapter.use(function statsdRequestStart(request, response, next) {
    const state = recorder.begin(request, response);
    if (state !== undefined && cpu !== undefined) cpu.run(state.cpuMark, next);
    else next();
  });
  (adapter.getInstance() as FastifyLike).addHook(
    'onRequest',
    function statsdFastifyRequest(request, reply, done) {
      const state = requestStateOf(reply.raw);
      if (state !== undefined && state.owner === recorder) {
        state.request = request;
        state.route = request.routeOptions?.url;
      }
      done();
    },
  );
}
