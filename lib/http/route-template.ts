/**
 * Reads the route template (never the URL) from the framework's request: Express keeps the
 * matched route on `req.route.path` (with global prefix and version), Fastify on
 * `request.routeOptions.url` (`routerPath` before Fastify 4.10).
 */
export function routeTemplateOf(request: unknown): string | undefined {
  const candidate = request as {
    route?: { path?: unknown };
    routeOptions?: { url?: unknown };
    routerPath?: unknown;
  } | null;
  if (candidate === null || typeof candidate !== 'object') return undefined;
  const template = candidate.route?.path ?? candidate.routeOptions?.url ?? candidate.routerPath;
  return typeof template === 'string' ? template : undefined;
}

/** The route value of a request that matched no route of the application. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route tag of a request: its template, `unmatched` for a 404 that no Nest handler answered,
 * `unknown` when the framework gives no template.
 *
 * NestJS 12.5+ on Express answers unmatched requests from a catch-all route of its own
 * (`router.all('*path', …)` under the global prefix), so such a 404 carries a template (`*path`)
 * too. A wildcard template with no Nest handler behind it and a 404 is that catch-all, on any
 * version: a user's own wildcard route has a handler, and keeps its template.
 */
export function routeTagOf(
  template: string | undefined,
  hasHandler: boolean,
  status: number,
): string {
  if (template === undefined) return status === 404 ? UNMATCHED_ROUTE : 'unknown';
  if (status === 404 && !hasHandler && template.includes('*')) return UNMATCHED_ROUTE;
  return template;
}

/** Status class tag value: `2xx`, `4xx`… */
export function statusClassOf(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'unknown';
}

/** Name of what was thrown: the class name of an object, the type otherwise. */
export function errorNameOf(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  }
  return typeof error;
}
