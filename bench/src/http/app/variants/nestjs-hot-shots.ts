import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { HotShotsModule, HttpMetricsMiddleware } from 'nestjs-hot-shots';
import type { VariantContext, VariantSetup } from '../variant.types';

/** As its README shows: HotShotsModule.forRoot + HttpMetricsMiddleware on every route. */
@Module({})
class HotShotsHttpMetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}

export function setup(ctx: VariantContext): VariantSetup {
  return {
    imports: [
      // host set explicitly: the default 'localhost' costs a DNS lookup per packet and may resolve to ::1.
      HotShotsModule.forRoot({
        host: '127.0.0.1',
        port: ctx.statsdPort,
        prefix: 'bench.',
        globalTags: { env: 'bench' },
      }),
      HotShotsHttpMetricsModule,
    ],
    wirePerRequest: [
      'bench.http_server_request_count',
      'bench.http_server_response_count',
      'bench.http_server_duration',
      'bench.http_server_request_size',
      'bench.http_server_response_size',
      'bench.http_server_response_success_count',
    ],
  };
}
