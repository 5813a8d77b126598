import { requestStateOf } from '../http/request-state';

/** What Nest's Apollo driver puts in every operation's context (it adds `req` when yours lacks it). */
interface NestGraphqlContext {
  readonly contextValue?: { readonly req?: ExpressLikeRequest | null } | null;
}

interface ExpressLikeRequest {
  /** The response, which carries the request's measurement (Express sets it). */
  readonly res?: unknown;
  /** The path the middleware was mounted on, while it runs. */
  readonly baseUrl?: unknown;
}

/**
 * Names the HTTP request that carries an operation on Express: Apollo is a middleware mounted on
 * the GraphQL path there, not a route, so the request has no route template of its own; the mount
 * path (`baseUrl`) stands in for it. That path is a fixed option of the driver without parameters
 * (only its case is the client's), so the tag stays bounded. On Fastify Apollo's endpoint is a
 * route, named as such.
 */
export function nameGraphqlHttpRoute(context: unknown): void {
  const req = (context as NestGraphqlContext | null)?.contextValue?.req;
  if (req === null || typeof req !== 'object') return;
  const state = requestStateOf(req.res);
  if (state === undefined || state.route !== undefined || state.handler !== undefined) return;
  // Lower case: Express matches mount paths without regard to case, and `baseUrl` keeps the
  // client's spelling (/GraphQL, /GRAPHQL...), which must not become a series each.
  if (typeof req.baseUrl === 'string' && req.baseUrl !== '')
    state.route = req.baseUrl.toLowerCase();
}
