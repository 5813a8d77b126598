import { invalidEnvironmentVariable } from '../statsd.messages';
import type { Tags } from './statsd-options.interface';

type Environment = Record<string, string | undefined>;

/** Where the environment says the agent is, when the options do not say it. */
export interface EnvironmentTarget {
  host?: string;
  port?: number;
  protocol?: 'udp' | 'uds';
  path?: string;
}

/**
 * Reads the agent's address from the environment, most specific first: `STATSD_HOST` /
 * `STATSD_PORT`, then Datadog's `DD_DOGSTATSD_URL` (`udp://host:port` or `unix:///path`), then
 * `DD_AGENT_HOST` / `DD_DOGSTATSD_PORT`. A malformed value is an error naming the variable.
 */
export function targetFromEnvironment(env: Environment): EnvironmentTarget {
  const url = parseDogstatsdUrl(env.DD_DOGSTATSD_URL);
  const statsdPort = parsePort('STATSD_PORT', env.STATSD_PORT);
  if (url?.protocol === 'uds' && !env.STATSD_HOST && statsdPort === undefined) return url;
  return {
    host: env.STATSD_HOST || (url?.protocol === 'udp' ? url.host : undefined) || env.DD_AGENT_HOST || undefined,
    port: statsdPort ?? (url?.protocol === 'udp' ? url.port : undefined) ?? parsePort('DD_DOGSTATSD_PORT', env.DD_DOGSTATSD_PORT),
  };
}

/**
 * Datadog's unified service tags (`env`, `service`, `version` from `DD_ENV`, `DD_SERVICE`,
 * `DD_VERSION`), which Datadog's own clients add to every metric.
 */
export function unifiedServiceTags(env: Environment): Tags {
  const tags: Tags = {};
  if (env.DD_ENV) tags.env = env.DD_ENV;
  if (env.DD_SERVICE) tags.service = env.DD_SERVICE;
  if (env.DD_VERSION) tags.version = env.DD_VERSION;
  return tags;
}

function parsePort(variable: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new Error(invalidEnvironmentVariable(variable, 'an integer from 1 to 65535', text));
  }
  return port;
}

function parseDogstatsdUrl(text: string | undefined): EnvironmentTarget | undefined {
  if (text === undefined || text === '') return undefined;
  const expectation = 'a URL like udp://host:8125 or unix:///var/run/datadog/dsd.socket';
  if (text.startsWith('unix://')) {
    const path = text.slice('unix://'.length);
    if (path === '') throw new Error(invalidEnvironmentVariable('DD_DOGSTATSD_URL', expectation, text));
    return { protocol: 'uds', path };
  }
  const match = /^udp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(text);
  if (match === null) throw new Error(invalidEnvironmentVariable('DD_DOGSTATSD_URL', expectation, text));
  const host = (match[1] as string).replace(/^\[|\]$/g, '');
  return { protocol: 'udp', host, port: parsePort('DD_DOGSTATSD_URL', match[2]) };
}
