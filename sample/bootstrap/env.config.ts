/** Where the app sends its metrics. */
export interface StatsdTarget {
  readonly host: string;
  readonly port: number;
  /** True when STATSD_HOST / STATSD_PORT name an external agent; false for the embedded sink. */
  readonly external: boolean;
}

/**
 * The external agent named by `STATSD_HOST` / `STATSD_PORT` (either one is enough; the other
 * defaults to 127.0.0.1 / 8125), or undefined when neither is set.
 */
export function externalTargetFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): StatsdTarget | undefined {
  const host = env['STATSD_HOST'];
  const rawPort = env['STATSD_PORT'];
  if (!host && !rawPort) return undefined;
  return {
    host: host || '127.0.0.1',
    port: portFrom('STATSD_PORT', rawPort, 8125),
    external: true,
  };
}

/** The HTTP port asked for with `PORT`, 3000 by default. */
export function appPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return portFrom('PORT', env['PORT'], 3000);
}

function portFrom(name: string, raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`sample: ${name} must be an integer from 1 to 65535 (received "${raw}").`);
  }
  return port;
}
