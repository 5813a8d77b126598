import type { RequestCpuClock } from '../cpu/request-cpu-clock';
import type { HttpRequestRecorder } from './http-request-recorder';
import { requestStateOf, type RawResponse } from './request-state';

/** The part of Nest's Express and Fastify adapters the hooks need. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance(): unknown;
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

interface FastifyLike {
  /** The function Fastify's servers call for each request (its router entry). */
  routing?: unknown;
  server?: ServerLike;
  addHook(
    name: 'onRequest',
    hook: (request: unknown, reply: { raw: RawResponse }, done: () => void) => void,
  ): unknown;
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
  else if (type === 'fastify') installFastifyHooks(adapter.getInstance() as FastifyLike, recorder, cpu);
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
 * Fastify: wraps its router entry where the main server calls it (its `request` listener), one
 * function call per request; a middie middleware would make Fastify run middie's chain and URL
 * sanitizing on every request. An `onRequest` hook measures the requests that reach Fastify
 * another way: `inject()`, the extra servers Fastify opens when it listens on `localhost` (IPv4
 * and IPv6), a server whose listener someone else wrapped (socket.io). Those start after
 * Fastify's middleware, so a request a middleware answers there is not measured.
 */
function installFastifyHooks(fastify: FastifyLike, recorder: HttpRequestRecorder, cpu: RequestCpuClock | undefined): void {
  const server = fastify.server;
  const entry = fastify.routing;
  if (server !== undefined && typeof entry === 'function' && server.listeners('request')[0] === entry) {
    server.removeListener('request', entry);
    server.prependListener('request', measuredEntry(entry as RequestEntry, recorder, cpu));
  }
  fastify.addHook('onRequest', function statsdRequestFallback(request, reply, done) {
    const begun = requestStateOf(reply.raw);
    if (begun !== undefined) {
      // Begun by the wrapped listener, with Node's request: Fastify's names the route, also for
      // routes that are not Nest handlers (Apollo's /graphql, a Fastify plugin's).
      begun.request = request;
      return done();
    }
    const state = recorder.begin(request, reply.raw);
    if (state !== undefined && cpu?.wrapsWork === true && state.cpuMark !== undefined) cpu.run(state.cpuMark, done);
    else done();
  });
}

function measuredEntry(entry: RequestEntry, recorder: HttpRequestRecorder, cpu: RequestCpuClock | undefined): RequestEntry {
  return function statsdRequestStart(this: unknown, request, response, next) {
    const state = recorder.begin(request, response);
    // Only a measured request with attributed CPU runs inside its account: the others call straight through.
    if (state?.cpuMark === undefined || cpu?.wrapsWork !== true) return entry.call(this, request, response, next);
    return cpu.run(state.cpuMark, () => entry.call(this, request, response, next));
  };
}
