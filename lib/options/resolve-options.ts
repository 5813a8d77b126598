import type { StatsD } from 'hot-shots';
import { invalidOption, missingAsyncOptions, conflictingOptions } from '../statsd.messages';
import { targetFromEnvironment, unifiedServiceTags } from './environment-defaults';
import { resolveMetricTypes } from './metric-types';
import { resolveOriginDetection } from './origin-detection-options';
import { DEFAULTS, type ResolvedHttpOptions, type ResolvedStatsdOptions } from './resolved-options';
import type { StatsdModuleOptions, Tags } from './statsd-options.interface';
import {
  ensureBoolean,
  ensureInteger,
  ensureKnownKeys,
  ensureNonEmptyString,
  ensureOneOf,
  ensurePlainObject,
} from './validators';

type Environment = Record<string, string | undefined>;

const KNOWN_OPTIONS = new Set([
  'host', 'port', 'protocol', 'path', 'prefix', 'globalTags', 'flavor', 'cpu', 'cpuBudget', 'sampleRate',
  'flushInterval', 'maxPacketSize', 'mock', 'client', 'maxTagCombinations', 'maxMetricNames',
  'closeTimeout', 'errorLogInterval', 'runtimeMetrics', 'http', 'isGlobal', 'metricTypes', 'originDetection',
]);
const KNOWN_HTTP_OPTIONS = new Set(['enabled', 'metricName', 'exclude', 'tags', 'mode']);

/**
 * Applies defaults and environment variables, and validates every option. Runs in the options
 * provider's factory, so `forRoot` and `forRootAsync` share it and bad input fails at startup.
 */
export function resolveOptions(raw: unknown, env: Environment = process.env): ResolvedStatsdOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(missingAsyncOptions(raw));
  }
  const options = raw as StatsdModuleOptions & Record<string, unknown>;
  ensureKnownKeys('', options, KNOWN_OPTIONS);
  // An explicit port makes the port variables irrelevant, malformed or not.
  const fromEnvironment = targetFromEnvironment(
    options.port === undefined ? env : { ...env, STATSD_PORT: undefined, DD_DOGSTATSD_PORT: undefined },
  );
  const targetGiven = ['host', 'port', 'protocol', 'path'].some((key) => options[key] !== undefined);
  const protocol = ensureOneOf(
    'protocol',
    options.protocol ?? (targetGiven ? undefined : fromEnvironment.protocol) ?? DEFAULTS.protocol,
    ['udp', 'tcp', 'uds'] as const,
  );
  const path =
    options.path !== undefined
      ? ensureNonEmptyString('path', options.path)
      : targetGiven
        ? undefined
        : fromEnvironment.path;
  if (protocol === 'uds' && path === undefined) {
    throw new Error(invalidOption('path', 'a socket path when "protocol" is "uds"', options.path));
  }
  const client = resolveClient(options.client);
  const flavor = ensureOneOf('flavor', options.flavor ?? DEFAULTS.flavor, ['dogstatsd', 'telegraf', 'statsd'] as const);
  const globalTags = resolveTags('globalTags', options.globalTags ?? {});
  if (client && options.mock === true) throw new Error(conflictingOptions('client', 'mock'));
  return {
    host: options.host === undefined ? (fromEnvironment.host ?? DEFAULTS.host) : ensureNonEmptyString('host', options.host),
    port: options.port === undefined ? (fromEnvironment.port ?? DEFAULTS.port) : ensureInteger('port', options.port, 1, 65535),
    protocol,
    path,
    prefix: resolvePrefix(options.prefix),
    globalTags: flavor === 'dogstatsd' ? { ...unifiedServiceTags(env), ...globalTags } : globalTags,
    flavor,
    cpu: resolveCpu(options.cpu),
    cpuBudget: resolveCpuBudget(options.cpuBudget),
    sampleRate: resolveSampleRate(options.sampleRate),
    flushInterval: ensureInteger('flushInterval', options.flushInterval ?? DEFAULTS.flushInterval, 10, 3_600_000),
    maxPacketSize: ensureInteger(
      'maxPacketSize',
      options.maxPacketSize ?? (protocol === 'uds' ? DEFAULTS.maxPacketSizeUds : DEFAULTS.maxPacketSize),
      512,
      65_507,
    ),
    mock: ensureBoolean('mock', options.mock ?? false),
    client,
    maxTagCombinations: ensureInteger('maxTagCombinations', options.maxTagCombinations ?? DEFAULTS.maxTagCombinations, 1, 1_000_000),
    maxMetricNames: ensureInteger('maxMetricNames', options.maxMetricNames ?? DEFAULTS.maxMetricNames, 1, 1_000_000),
    closeTimeout: ensureInteger('closeTimeout', options.closeTimeout ?? DEFAULTS.closeTimeout, 0, 60_000),
    errorLogInterval: ensureInteger('errorLogInterval', options.errorLogInterval ?? DEFAULTS.errorLogInterval, 0, 86_400_000),
    runtimeMetricsInterval: resolveRuntimeMetrics(options.runtimeMetrics),
    http: resolveHttp(options.http),
    metricTypes: resolveMetricTypes(options.metricTypes),
    originDetection: resolveOriginDetection(options.originDetection),
  };
}

function resolvePrefix(value: unknown): string {
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string') throw new Error(invalidOption('prefix', 'a string', value));
  if (!/^[A-Za-z0-9_.-]+$/.test(value) || /^\.|\.\./.test(value)) {
    throw new Error(invalidOption('prefix', 'made of letters, digits, "_", "-" and single dots', value));
  }
  return value.endsWith('.') ? value : `${value}.`;
}

function resolveCpu(value: unknown): ResolvedStatsdOptions['cpu'] {
  const mode = ensureOneOf('cpu', value ?? DEFAULTS.cpu, ['attributed', 'process-share', 'process', false] as const);
  return mode === 'process' ? 'process-share' : mode;
}

function resolveCpuBudget(value: unknown): number | false {
  if (value === undefined) return DEFAULTS.cpuBudget;
  if (value !== false && (typeof value !== 'number' || !(value > 0 && value < 1))) {
    throw new Error(invalidOption('cpuBudget', 'a number greater than 0 and less than 1, or false', value));
  }
  return value;
}

function resolveSampleRate(value: unknown): number {
  if (value === undefined) return DEFAULTS.sampleRate;
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new Error(invalidOption('sampleRate', 'a number greater than 0 and at most 1', value));
  }
  return value;
}

function resolveClient(value: unknown): StatsD | undefined {
  if (value === undefined) return undefined;
  const candidate = value as { sendMessage?: unknown; close?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.sendMessage !== 'function' || typeof candidate.close !== 'function') {
    throw new Error(invalidOption('client', 'a hot-shots StatsD instance', value));
  }
  return value as StatsD;
}

/** Validates a tag object given as an option: non-empty keys, string/number/boolean values. */
export function resolveTags(option: string, value: unknown): Tags {
  const tags = ensurePlainObject(option, value);
  for (const [key, tagValue] of Object.entries(tags)) {
    if (!/^[A-Za-z][A-Za-z0-9_.\-/]*$/.test(key)) {
      throw new Error(invalidOption(`${option} key`, 'a letter followed by letters, digits, "_", "-", "." or "/"', key));
    }
    const kind = typeof tagValue;
    if (kind !== 'string' && kind !== 'boolean' && !(kind === 'number' && Number.isFinite(tagValue))) {
      throw new Error(invalidOption(`${option}.${key}`, 'a string, a finite number or a boolean', tagValue));
    }
  }
  return { ...(tags as Tags) };
}

function resolveRuntimeMetrics(value: unknown): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULTS.runtimeMetricsInterval;
  if (typeof value === 'number') return ensureInteger('runtimeMetrics', value, 100, 3_600_000);
  throw new Error(invalidOption('runtimeMetrics', 'a boolean or an interval in ms from 100 to 3600000', value));
}

function resolveHttp(value: unknown): ResolvedHttpOptions {
  if (value === false) {
    return { enabled: false, metricName: DEFAULTS.httpMetricName, exclude: [], tags: undefined, mode: 'hooks' };
  }
  const http = ensurePlainObject('http', value ?? {});
  ensureKnownKeys('http', http, KNOWN_HTTP_OPTIONS);
  const metricName = http.metricName ?? DEFAULTS.httpMetricName;
  if (typeof metricName !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(metricName) || metricName.includes('..')) {
    throw new Error(invalidOption('http.metricName', 'a metric name (a letter, then letters, digits, "_", "-", single dots)', metricName));
  }
  const exclude = http.exclude ?? [];
  if (!Array.isArray(exclude) || !exclude.every((entry) => typeof entry === 'string' || entry instanceof RegExp)) {
    throw new Error(invalidOption('http.exclude', 'an array of strings and RegExps', exclude));
  }
  if (http.tags !== undefined && typeof http.tags !== 'function') {
    throw new Error(invalidOption('http.tags', 'a function of the request returning tags', http.tags));
  }
  return {
    enabled: ensureBoolean('http.enabled', http.enabled ?? true),
    metricName,
    exclude: [...exclude],
    tags: http.tags as ResolvedHttpOptions['tags'],
    mode: ensureOneOf('http.mode', http.mode ?? 'hooks', ['hooks', 'interceptor'] as const),
  };
}
