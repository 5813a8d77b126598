import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InjectMetric, makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { type Histogram, register } from 'prom-client';
import { finalize, type Observable } from 'rxjs';
import type { VariantSetup } from '../variant.types';

const METRIC = 'http_request_duration_seconds';

interface AnyRequest {
  method: string;
  route?: { path?: string };
  routeOptions?: { url?: string };
}

/** The interceptor commonly recommended with @willsoto/nestjs-prometheus: a histogram timer per request. */
@Injectable()
export class HistogramInterceptor implements NestInterceptor {
  constructor(@InjectMetric(METRIC) private readonly histogram: Histogram<string>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const end = this.histogram.startTimer();
    const http = context.switchToHttp();
    const req = http.getRequest<AnyRequest>();
    const res = http.getResponse<{ statusCode: number }>();
    return next.handle().pipe(
      finalize(() => {
        end({
          method: req.method,
          route: req.route?.path ?? req.routeOptions?.url ?? 'unknown',
          status_code: res.statusCode,
        });
      }),
    );
  }
}

export function setup(): VariantSetup {
  return {
    imports: [PrometheusModule.register()],
    providers: [
      makeHistogramProvider({
        name: METRIC,
        help: 'HTTP request duration in seconds',
        labelNames: ['method', 'route', 'status_code'],
      }),
      { provide: APP_INTERCEPTOR, useClass: HistogramInterceptor },
    ],
    wirePerRequest: [],
    recorded: async () => {
      const metric = register.getSingleMetric(METRIC) as Histogram<string> | undefined;
      if (!metric) return 0;
      const data = await metric.get();
      return data.values
        .filter((v) => v.metricName === `${METRIC}_count`)
        .reduce((sum, v) => sum + v.value, 0);
    },
  };
}
