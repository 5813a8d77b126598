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
