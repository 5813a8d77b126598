import type { HandlerInfo } from './handler-info';

/**
 * The measurement of one request in flight, kept on the raw response under `REQUEST_STATE`.
 * Filled by the start hook, the stamping guard and the exception capture; read once on `close`.
 */
export class RequestState {
  handler: HandlerInfo | undefined = undefined;
  route: string | undefined = undefined;
  error: unknown = undefined;

  constructor(
    /** The framework's request (Express `Request`, Fastify `FastifyRequest` once routed). */
    public request: unknown,
    readonly startedAt: number,
    readonly cpuMark: unknown,
    /** Who records it; typed loosely to keep this file free of the recorder's imports. */
    readonly owner: { finish(state: RequestState, response: RawResponse): void },
  ) {}
}

/** The part of Node's `ServerResponse` the request path reads. */
export interface RawResponse {
  statusCode: number;
  writableFinished: boolean;
  req?: { method?: string; route?: { path?: unknown } };
  on(event: 'close', listener: (this: RawResponse) => void): unknown;
}
