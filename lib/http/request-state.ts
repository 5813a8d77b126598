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
  /** `end()` was called: the application answered (the data may still be on its way). */
  writableEnded: boolean;
  req?: { method?: string };
  on(event: 'close', listener: (this: RawResponse) => void): unknown;
}

/** The measurement state of a request, from Express' response or Fastify's reply. */
export function requestStateOf(response: unknown): RequestState | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const raw = (response as { raw?: object }).raw ?? response;
  return (raw as Record<symbol, RequestState | undefined>)[REQUEST_STATE];
}
