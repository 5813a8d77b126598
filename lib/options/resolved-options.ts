import type { StatsD } from 'hot-shots';
import type { OriginOptions } from '../origin/origin-detection';
import type { ResolvedMetricTypes } from './metric-types';
import type { CpuMode, StatsdFlavor, StatsdProtocol, Tags } from './statsd-options.interface';

/** Options after defaults, environment and validation: what the runtime works with. */
export interface ResolvedHttpOptions {
  enabled: boolean;
  metricName: string;
  exclude: Array<string | RegExp>;
  tags: ((request: unknown) => Tags | undefined) | undefined;
  mode: 'hooks' | 'interceptor';
}

/** Fully resolved module options. */
export interface ResolvedStatsdOptions {
  host: string;
  port: number;
  protocol: StatsdProtocol;
  path: string | undefined;
  prefix: string;
  globalTags: Tags;
  flavor: StatsdFlavor;
  cpu: Exclude<CpuMode, 'process'>;
  cpuBudget: number | false;
  sampleRate: number;
  flushInterval: number;
  maxPacketSize: number;
  mock: boolean;
  client: StatsD | undefined;
  maxTagCombinations: number;
  maxMetricNames: number;
  closeTimeout: number;
  errorLogInterval: number;
  /** Interval of runtime metrics in ms, or `undefined` when off. */
  runtimeMetricsInterval: number | undefined;
  http: ResolvedHttpOptions;
  /** The StatsD type of each automatic family's duration metrics, before the flavor's fallback. */
  metricTypes: ResolvedMetricTypes;
  /** Which parts of DogStatsD origin detection are on (read by the runtime, dogstatsd only). */
  originDetection: OriginOptions;
}

/** Defaults of every option that has one. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8125,
  protocol: 'udp',
  prefix: '',
  flavor: 'dogstatsd',
  cpu: 'attributed',
  cpuBudget: 0.01,
  sampleRate: 1,
  flushInterval: 1000,
  maxPacketSize: 1432,
  maxPacketSizeUds: 8192,
  maxTagCombinations: 1000,
  maxMetricNames: 10000,
  closeTimeout: 2000,
  errorLogInterval: 60000,
  httpMetricName: 'http.request',
  runtimeMetricsInterval: 10_000,
} as const;
