import type { RequestCpuClock } from '../cpu/request-cpu-clock';
import type { HttpRequestRecorder } from './http-request-recorder';
import type { RawResponse } from './request-state';

/** The part of Nest's Express and Fastify adapters the hooks need. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance(): unknown;
  getHttpServer(): unknown;
}

type RequestEntry = (this: unknown, request: unknown, response: RawResponse, next?: unknown) => unknown;

interface ExpressLike {
  handle: RequestEntry;
}

interface ServerLike {
  listeners(event: 'request'): Function[];
  removeListener(event: 'request', listener: Function): unknown;
  prependListener(event: 'request', listener: Function): unknown;
}

/**
 * Starts each request's measurement outside Nest's pipeline, before any middleware, body parser
 * or router, so requests that a middleware answers (401 before routing) and 404s are measured
 * too. With attributed CPU the rest of the request runs inside its CPU account.
 *
 * @returns false for adapters other than Express and Fastify.
 */
export function installRequestHooks(
  adapter: HttpAdapterLike,
  recorder: HttpRequestRecorder,
  cpu: RequestCpuClock | undefined,
): boolean {
  const type = adapter.getType();
  if (type === 'express') wrapExpressEntry(adapter.getInstance() as ExpressLike, recorder, cpu);
  else if (type === 'fastify') return wrapServerEntry(adapter.getHttpServer() as ServerLike | undefined, recorder, cpu);
  else return false;
  return true;
}

/**
 * Express: wraps `app.handle`, the entry every request goes through (the server calls the app,
 * the app calls `handle`), which also covers an Express app mounted on a server of the user's.
 * One function call per request, where a middleware would add a layer to Express's router.
 */
function wrapExpressEntry(app: ExpressLike, recorder: HttpRequestRecorder, cpu: RequestCpuClock | undefined): void {
  app.handle = measuredEntry(app.handle, recorder, cpu);
}

/**
 * Fastify: wraps the server's first `request` listener, the one Fastify added when it created the
 * server (its router entry); listeners added later are someone else's. A middie middleware would
 * make Fastify run middie's chain and URL sanitizing on every request, and an `onRequest` hook
 * would start after a middleware has answered.
 *
 * @returns false when the server has no `request` listener to wrap.
 */
function wrapServerEntry(server: ServerLike | undefined, recorder: HttpRequestRecorder, cpu: RequestCpuClock | undefined): boolean {
  const fastifyEntry = server?.listeners('request')[0];
  if (server === undefined || fastifyEntry === undefined) return false;
  server.removeListener('request', fastifyEntry);
  server.prependListener('request', measuredEntry(fastifyEntry as RequestEntry, recorder, cpu));
  return true;
}

function measuredEntry(entry: RequestEntry, recorder: HttpRequestRecorder, cpu: RequestCpuClock | undefined): RequestEntry {
  return function statsdRequestStart(this: unknown, request, response, next) {
    const state = recorder.begin(request, response);
    if (state === undefined || cpu === undefined) return entry.call(this, request, response, next);
    return cpu.run(state.cpuMark, () => entry.call(this, request, response, next));
  };
}
