export { StatsdModule } from './statsd.module';
export type { StatsdModuleExtras } from './statsd.module-definition';
export { StatsdService, type StatsdScope } from './statsd.service';
export type { StatsdClientStats } from './runtime/statsd-runtime';
export { StatsdInterceptor } from './http/statsd.interceptor';
export { SkipMetrics } from './http/skip-metrics.decorator';
export { StatsdGraphqlPlugin } from './graphql/statsd-graphql.plugin';
export type { GraphqlOperationContext, GraphqlRequestListener, GraphqlServerPlugin } from './graphql/graphql-plugin.types';
export { Measure, type MeasureOptions } from './measure/measure.decorator';
export type {
  CpuMode,
  MetricFamily,
  MetricTypes,
  OriginDetectionOptions,
  StatsdFlavor,
  StatsdHttpOptions,
  StatsdModuleOptions,
  StatsdProtocol,
  Tags,
  TimingType,
} from './options/statsd-options.interface';
