import { REQUEST_STATE } from '../statsd.constants';
import type { HandlerInfo } from './handler-info';

/**
 * The measurement of one request in flight, kept on the raw response under `REQUEST_STATE`.
 * Filled by the start hook, the handler stamp and the exception capture; read once on `close`.
 */
export class RequestState {
  handler: HandlerInfo | undefined = undefined;
  route: string | undefined = undefined;
  error: unknown = undefined;
  /** The request CPU clock's mark, set once the request counts as in flight for it. */
  cpuMark: unknown = undefined;

  constructor(
    /** The framework's request (Express `Request`, Fastify `FastifyRequest` once routed). */
    public request: unknown,
    readonly startedAt: number,
    /** Who records it; typed loosely to keep this file free of the recorder's imports. */
    readonly owner: { finish(state: RequestState, response: RawResponse): void },
  ) {}
}

/** The part of Node's `ServerResponse` the request path reads. */
export interface RawResponse {
  statusCode: number;
  /**
   * `end()` was called: the application answered (the data may still be on its way). Node's
   * `writableEnded` getter returns this field on every line; read directly it is an own property,
   * which matters on Node 20 (see `endedByApplication`).
   */
  finished?: boolean;
  writableEnded: boolean;
  req?: { method?: string };
  on(event: 'close', listener: (this: RawResponse) => void): unknown;
}

/** An object that may carry a request's state under `REQUEST_STATE` (the raw response). */
export type StateHolder = Record<symbol, RequestState | undefined>;

/**
 * Whether the application ended the response. On Node 20 (V8 11.3) an Express response gets a
 * hidden class of its own once Express has changed its prototype and added a property, so every
 * read there misses the inline caches, and one through the prototype chain (the `writableEnded`
 * getter) costs about 1 µs: the own `finished` field, which that getter returns, is read instead.
 */
export function endedByApplication(response: RawResponse): boolean {
  return response.finished ?? response.writableEnded;
}

/**
 * The measurement state of a request, from Express' response or Fastify's reply. The response's
 * own property is read first: looking for a missing `raw` walks an Express response's whole
 * prototype chain, slow on Node 20 (see `endedByApplication`).
 */
export function requestStateOf(response: unknown): RequestState | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const own = (response as StateHolder)[REQUEST_STATE];
  if (own !== undefined) return own;
  const raw = (response as { raw?: unknown }).raw;
  return raw !== null && typeof raw === 'object' ? (raw as StateHolder)[REQUEST_STATE] : undefined;
}
