import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OpenTelemetryModule } from 'nestjs-otel';
import type { VariantContext, VariantSetup } from '../variant.types';

/**
 * nestjs-otel 7's request metrics as its README shows (`apiMetrics: { enable: true }`, a
 * middleware recording into in-memory OpenTelemetry histograms), with the NodeSDK and a
 * Prometheus exporter on a loopback port: nothing leaves the process unless scraped. Tracing
 * and log exporters are off and no auto-instrumentation is loaded: only request metrics are
 * compared. hostMetrics is off (it is collected on scrape, not per request).
 */
export function setup(ctx: VariantContext): VariantSetup {
  let exporter: PrometheusExporter | undefined;
  let sdk: NodeSDK | undefined;
  return {
    beforeCreate: () => {
      process.env.OTEL_TRACES_EXPORTER = 'none';
      process.env.OTEL_LOGS_EXPORTER = 'none';
      process.env.OTEL_METRICS_EXPORTER = 'none';
      exporter = new PrometheusExporter({ host: '127.0.0.1', port: ctx.auxPort });
      sdk = new NodeSDK({ metricReaders: [exporter] });
      sdk.start();
    },
    imports: [
      OpenTelemetryModule.forRoot({
        metrics: { hostMetrics: false, apiMetrics: { enable: true } },
      }),
    ],
    wirePerRequest: [],
    recorded: async () => {
      if (!exporter) return 0;
      const { resourceMetrics } = await exporter.collect();
      let count = 0;
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (!metric.descriptor.name.endsWith('http.server.duration')) continue;
          for (const point of metric.dataPoints) count += (point.value as { count: number }).count;
        }
      }
      return count;
    },
    shutdown: async () => {
      await sdk?.shutdown();
    },
  };
}
