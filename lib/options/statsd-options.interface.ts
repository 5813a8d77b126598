import type { StatsD } from 'hot-shots';

/** Tag values accepted on every metric. Keys and values are sanitized for the chosen flavor. */
export type Tags = Record<string, string | number | boolean>;

/**
 * Wire format of the agent:
 * - `dogstatsd`: `name:v|ms|#k:v` (Datadog agent, Telegraf with datadog extensions, StatsD exporters)
 * - `telegraf`: `name,k=v:v|ms` (Telegraf's Influx-style tags)
 * - `statsd`: plain Etsy StatsD, no tags: tags are folded into the name as `.key_value` segments
 */
export type StatsdFlavor = 'dogstatsd' | 'telegraf' | 'statsd';

/**
 * How CPU time is measured for a request or a measured call:
 * - `attributed`: the event-loop time spent on behalf of this unit only (async-context
 *   accounting), for every unit or for a sample of them (see `cpuBudget`)
 * - `process-share`: the unit's share of the whole process's CPU while it was in flight, split
 *   evenly among the units in flight; includes other units' work (`process` is its former name)
 * - `false`: no CPU metric
 */
export type CpuMode = 'attributed' | 'process-share' | 'process' | false;

/**
 * How the automatic duration metrics go on the wire:
 * - `timing`: `|ms`. Every server knows it; the Datadog agent aggregates it per agent (a histogram)
 * - `histogram`: `|h`. The same aggregation as `timing` in the Datadog agent and Telegraf
 * - `distribution`: `|d` (DogStatsD). Aggregated by Datadog across every host, so percentiles
 *   hold for the whole fleet. Telegraf and Etsy StatsD have no `d`: with those flavors it is sent
 *   as `ms`, and a warning says so at startup
 */
export type TimingType = 'timing' | 'histogram' | 'distribution';

/**
 * The automatic metric families: HTTP requests, `@Measure()` methods, `measure()` and
 * `startTimer()` blocks, GraphQL operations, microservice (and other non-HTTP) handlers, and
 * WebSocket gateway messages.
 */
export type MetricFamily = 'http' | 'decorator' | 'block' | 'graphql' | 'rpc' | 'ws';

/** The metric type of each family; families left out keep the default, `timing`. */
export type MetricTypes = Partial<Record<MetricFamily, TimingType>>;

/**
 * DogStatsD origin detection, as Datadog's own clients do it: which pod and container sent a
 * datagram, so the agent can add the pod's tags. `dogstatsd` flavor only.
 */
export interface OriginDetectionOptions {
  /**
   * Add the tag `dd.internal.entity_id` from the environment variable `DD_ENTITY_ID` (the pod UID,
   * set through Kubernetes' downward API).
   * @default true
   */
  entityId?: boolean;
  /**
   * Send the container ID in the `|c:` field: `true` reads it from the process's cgroup or mounts
   * (or sends the cgroup node's inode, `in-<n>`, where no ID can be read outside the host's cgroup
   * namespace), a string is sent as is, `false` sends none.
   * @default true
   */
  containerId?: boolean | string;
  /**
   * Send the environment variable `DD_EXTERNAL_ENV` (set by the Datadog admission controller) in
   * the `|e:` field.
   * @default true
   */
  externalEnv?: boolean;
}

/** Transport to the agent. */
export type StatsdProtocol = 'udp' | 'tcp' | 'uds';

/** Options of the automatic HTTP request metrics. */
export interface StatsdHttpOptions {
  /**
   * Measure every HTTP request handled by the application.
   * @default true
   */
  enabled?: boolean;
  /**
   * Metric name (after the prefix). The CPU metric is this name plus `.cpu`.
   * @default 'http.request'
   */
  metricName?: string;
  /**
   * Route templates not to measure, as declared (with global prefix and version), e.g.
   * `'/api/health'`; a string ending in `*` matches every template starting with the rest;
   * a RegExp is tested against the template.
   * @default []
   */
  exclude?: Array<string | RegExp>;
  /**
   * Extra tags taken from the request: Express `Request`; on Fastify its `FastifyRequest` (404s
   * included), Node's `IncomingMessage` for requests a middleware answered. Keep the values
   * bounded: each new combination is a new time series.
   * @default undefined
   */
  tags?: (request: unknown) => Tags | undefined;
  /**
   * `hooks` measures through adapter hooks and a stamp on each route's handler, outside Nest's interceptor
   * pipeline (which alone costs more than 100 µs of CPU per request); `interceptor` registers
   * `StatsdInterceptor` globally instead. Both produce the same metrics.
   * @default 'hooks'
   */
  mode?: 'hooks' | 'interceptor';
}

/** Options of `StatsdModule.forRoot()` / `forRootAsync()`. */
export interface StatsdModuleOptions {
  /**
   * Agent host.
   * @default process.env.STATSD_HOST ?? process.env.DD_AGENT_HOST ?? '127.0.0.1'
   */
  host?: string;
  /**
   * Agent port.
   * @default process.env.STATSD_PORT ?? process.env.DD_DOGSTATSD_PORT ?? 8125
   */
  port?: number;
  /**
   * Transport.
   * @default 'udp'
   */
  protocol?: StatsdProtocol;
  /**
   * Unix socket path, required when `protocol` is `uds`.
   * @default undefined
   */
  path?: string;
  /**
   * Prefix of every metric name; the `.` separator is added when missing.
   * @default ''
   */
  prefix?: string;
  /**
   * Tags added to every metric.
   * @default {}
   */
  globalTags?: Tags;
  /**
   * Wire format.
   * @default 'dogstatsd'
   */
  flavor?: StatsdFlavor;
  /**
   * CPU time measurement for requests, `@Measure()`, `measure()` and GraphQL operations:
   * `'attributed'` (the event-loop time spent on the unit's own callbacks, whatever else runs
   * concurrently), `'process-share'` (the unit's share of the process's CPU while it was in
   * flight: includes other units' work), or `false`.
   * @default 'attributed'
   */
  cpu?: CpuMode;
  /**
   * With `cpu: 'attributed'`, the share of the process's CPU the accounting may cost (0 < budget
   * < 1). Within it every unit is measured; beyond it a sample is, by time window, and its `.cpu`
   * values carry `|@rate` so the agent's counts stay right. `false` measures every unit, whatever
   * it costs.
   * @default 0.01
   */
  cpuBudget?: number | false;
  /**
   * Fraction of values sent (0 < rate ≤ 1); sampled lines carry `|@rate` so the server scales
   * them back.
   * @default 1
   */
  sampleRate?: number;
  /**
   * Client-side aggregation window in milliseconds: values are collected in memory and sent
   * together (several values per line, several lines per datagram) at this interval.
   * @default 1000
   */
  flushInterval?: number;
  /**
   * Largest datagram sent, in bytes (1432 fits a 1500-byte MTU; the Datadog agent accepts 8192).
   * @default 1432 (8192 for uds)
   */
  maxPacketSize?: number;
  /**
   * Keep metrics in memory instead of sending them (for tests); see `StatsdService.client.mockBuffer`.
   * @default false
   */
  mock?: boolean;
  /**
   * Use this hot-shots client's connection instead of creating one. It is flushed but not closed
   * at shutdown (its owner closes it). Its own prefix and tags are not applied: use ours.
   * @default undefined
   */
  client?: StatsD;
  /**
   * Metric type of the automatic duration metrics (`.cpu` included), for every family at once or
   * per family, e.g. `{ http: 'distribution' }` for fleet-wide request percentiles in Datadog.
   * `StatsdService.timing()`, `histogram()` and `distribution()` keep their own types.
   * @default 'timing'
   */
  metricTypes?: TimingType | MetricTypes;
  /**
   * DogStatsD origin detection (`dogstatsd` flavor only, ignored by the others): `true` turns on
   * each part the environment allows, `false` turns it off, an object chooses part by part. As in
   * Datadog's clients, the environment variable `DD_ORIGIN_DETECTION_ENABLED=false` turns off
   * the detected container ID and `DD_EXTERNAL_ENV` (a container ID given as a string is still
   * sent, and so is `DD_ENTITY_ID`).
   * @default true
   */
  originDetection?: boolean | OriginDetectionOptions;
  /**
   * Distinct tag combinations kept per metric name; further new combinations are reported with
   * their (non-global) tag values replaced by `other`.
   * @default 1000
   */
  maxTagCombinations?: number;
  /**
   * Distinct metric names kept; values of further new names are dropped and counted.
   * @default 10000
   */
  maxMetricNames?: number;
  /**
   * Longest wait for the final flush and the client's close at shutdown, in milliseconds.
   * @default 2000
   */
  closeTimeout?: number;
  /**
   * Minimum interval between two logs of the same kind of run-time error, in milliseconds.
   * @default 60000
   */
  errorLogInterval?: number;
  /**
   * Report runtime metrics (event loop, heap, GC, CPU, handles) every N ms; `true` means every
   * 10 000 ms. Off the request path.
   * @default false
   */
  runtimeMetrics?: boolean | number;
  /**
   * Automatic HTTP request metrics; `false` turns them off.
   * @default { enabled: true, metricName: 'http.request', exclude: [], mode: 'hooks' }
   */
  http?: StatsdHttpOptions | false;
}
