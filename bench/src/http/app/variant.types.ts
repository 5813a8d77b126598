import type { INestApplication, ModuleMetadata, Provider } from '@nestjs/common';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: readonly AdapterName[] = ['express', 'fastify'];

export const VARIANTS = [
  'baseline',
  'baseline-hooks-once',
  'baseline-hooks-late',
  'baseline-hooks-warm-async',
  'baseline-hooks-warm-promise',
  'baseline-hooks-windows-async',
  'baseline-hooks-windows-promise',
  'noop-interceptor',
  'statsd-default',
  'statsd-cpu-false',
  'statsd-cpu-process',
  'statsd-cpu-attributed',
  'statsd-budget-min',
  'statsd-type-histogram',
  'statsd-type-distribution',
  'statsd-reference',
  'naive-hot-shots',
  'nestjs-hot-shots',
  'prometheus',
  'otel',
] as const;
export type VariantName = (typeof VARIANTS)[number];

/** Variants that need the repo's own build (../dist/cjs). */
export const LIB_VARIANTS: readonly VariantName[] = [
  'statsd-default',
  'statsd-cpu-false',
  'statsd-cpu-process',
  'statsd-cpu-attributed',
  'statsd-budget-min',
  'statsd-type-histogram',
  'statsd-type-distribution',
];

export interface VariantContext {
  adapter: AdapterName;
  /** UDP port of the StatsD sink on 127.0.0.1. */
  statsdPort: number;
  /** A spare loopback port for a variant's own exporter (OpenTelemetry's Prometheus endpoint). */
  auxPort: number;
}

/** How one variant instruments the same app. */
export interface VariantSetup {
  imports?: NonNullable<ModuleMetadata['imports']>;
  providers?: Provider[];
  /** Runs before NestFactory.create (e.g. starting the OpenTelemetry SDK). */
  beforeCreate?: () => Promise<void> | void;
  /** Runs once the app listens; `requestsServed` counts the requests its server received so far. */
  afterListen?: (requestsServed: () => number) => void;
  /** Sends anything the variant still buffers. */
  flush?: (app: INestApplication) => Promise<void>;
  /**
   * Metric names (as they appear on the wire) that must each carry exactly one value per
   * request handled; the runner checks the sink against this.
   */
  wirePerRequest: string[];
  /** In-process count of recorded observations, for variants that do not send over the wire. */
  recorded?: (app: INestApplication) => Promise<number>;
  /** The client's own counters (datagrams sent, drops), reported with the delivery check. */
  clientStats?: (app: INestApplication) => Record<string, number>;
  shutdown?: () => Promise<void>;
}
