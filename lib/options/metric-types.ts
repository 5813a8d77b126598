import type { MetricType } from '../wire/series-format';
import type { MetricFamily, TimingType } from './statsd-options.interface';
import { ensureKnownKeys, ensureOneOf, ensurePlainObject } from './validators';

/** Every automatic metric family, in the order the README lists them. */
export const METRIC_FAMILIES: readonly MetricFamily[] = [
  'http',
  'decorator',
  'block',
  'graphql',
  'rpc',
  'ws',
];

const TIMING_TYPES: readonly TimingType[] = ['timing', 'histogram', 'distribution'];
const WIRE_TYPE: Record<TimingType, MetricType> = {
  timing: 'ms',
  histogram: 'h',
  distribution: 'd',
};

/** The StatsD type each family's duration metrics are recorded as (before the flavor's fallback). */
export type ResolvedMetricTypes = Readonly<Record<MetricFamily, MetricType>>;

/**
 * Validates `metricTypes`: one type for every family, or an object of families; a family left out
 * is a timing, the default.
 */
export function resolveMetricTypes(value: unknown): ResolvedMetricTypes {
  if (value === undefined || typeof value === 'string') {
    const type = WIRE_TYPE[ensureOneOf('metricTypes', value ?? 'timing', TIMING_TYPES)];
    return Object.fromEntries(METRIC_FAMILIES.map((family) => [family, type])) as Record<
      MetricFamily,
      MetricType
    >;
  }
  const byFamily = ensurePlainObject('metricTypes', value);
  ensureKnownKeys(
    'metricTypes',
    byFamily,
    new Set(METRIC_FAMILIES),
    `a metric family (${METRIC_FAMILIES.join(', ')})`,
  );
  const resolved = {} as Record<MetricFamily, MetricType>;
  for (const family of METRIC_FAMILIES) {
    resolved[family] =
      WIRE_TYPE[ensureOneOf(`metricTypes.${family}`, byFamily[family] ?? 'timing', TIMING_TYPES)];
  }
  return resolved;
}
