import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { StatsD } from 'hot-shots';
import { performance } from 'node:perf_hooks';
import { finalize, type Observable } from 'rxjs';
import type { VariantContext, VariantSetup } from '../variant.types';

const CLIENT = Symbol('naive-hot-shots-client');

interface AnyRequest {
  method: string;
  route?: { path?: string };
  routeOptions?: { url?: string };
}

/**
 * The obvious implementation people write first: a global interceptor, wall time and a
 * process.cpuUsage() delta, two hot-shots timings with five tags, hot-shots defaults (one UDP
 * send per metric).
 */
@Injectable()
export class NaiveMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(CLIENT) private readonly statsd: StatsD) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const http = context.switchToHttp();
    const req = http.getRequest<AnyRequest>();
    const res = http.getResponse<{ statusCode: number }>();
    return next.handle().pipe(
      finalize(() => {
        const tags = {
          controller: context.getClass().name,
          handler: context.getHandler().name,
          method: req.method,
          route: req.route?.path ?? req.routeOptions?.url ?? 'unknown',
          status: String(res.statusCode),
        };
        this.statsd.timing('http.request', performance.now() - start, tags);
        const cpu = process.cpuUsage(cpuStart);
        this.statsd.timing('http.request.cpu', (cpu.user + cpu.system) / 1000, tags);
      }),
    );
  }
}

export function setup(ctx: VariantContext): VariantSetup {
  const client = new StatsD({
    host: '127.0.0.1',
    port: ctx.statsdPort,
    prefix: 'bench.',
    globalTags: { env: 'bench' },
  });
  return {
    providers: [
      { provide: CLIENT, useValue: client },
      { provide: APP_INTERCEPTOR, useClass: NaiveMetricsInterceptor },
    ],
    wirePerRequest: ['bench.http.request', 'bench.http.request.cpu'],
    shutdown: () => new Promise<void>((resolve) => client.close(() => resolve())),
  };
}
