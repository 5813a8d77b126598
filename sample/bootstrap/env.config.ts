import type { StatsdFlavor } from '../../lib';

/** Where the app sends its metrics, and in which wire format. */
export interface StatsdTarget {
  readonly host: string;
  readonly port: number;
  /** `STATSD_FLAVOR` for an external agent; always `dogstatsd` for the embedded sink. */
  readonly flavor: StatsdFlavor;
  /** True when STATSD_HOST / STATSD_PORT name an external agent; false for the embedded sink. */
  readonly external: boolean;
}

/**
 * The external agent named by `STATSD_HOST` / `STATSD_PORT` (either one is enough; the other
 * defaults to 127.0.0.1 / 8125) with the wire format of `STATSD_FLAVOR`, or undefined when
 * neither host nor port is set.
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
    flavor: flavorFromEnv(env),
    external: true,
  };
}

const FLAVORS: readonly StatsdFlavor[] = ['dogstatsd', 'telegraf', 'statsd'];

/**
 * The wire format asked for with `STATSD_FLAVOR`, `dogstatsd` by default. Etsy's StatsD daemon
 * needs `statsd` (it reads only the last value of a multi-value DogStatsD line).
 */
export function flavorFromEnv(env: NodeJS.ProcessEnv = process.env): StatsdFlavor {
  const raw = env['STATSD_FLAVOR'];
  if (!raw) return 'dogstatsd';
  const flavor = FLAVORS.find((candidate) => candidate === raw);
  if (!flavor) {
    throw new Error(
      `sample: STATSD_FLAVOR must be one of ${FLAVORS.join(', ')} (received "${raw}").`,
    );
  }
  return flavor;
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
