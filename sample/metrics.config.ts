/** The sample's metric settings, shared by the app (what it sends) and the sink (what it shows). */
export const METRICS_PREFIX = 'sample';

export const GLOBAL_TAGS = { env: 'dev' } as const;

/** The library's per-request metrics, as they arrive on the wire. */
export const REQUEST_METRICS = {
  wall: `${METRICS_PREFIX}.http.request`,
  cpu: `${METRICS_PREFIX}.http.request.cpu`,
} as const;
