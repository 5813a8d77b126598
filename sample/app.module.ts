import { type DynamicModule, Module } from '@nestjs/common';
import { StatsdModule } from '../lib';
import { AdminModule } from './admin/admin.module';
import type { StatsdTarget } from './bootstrap/env.config';
import { HealthController } from './health/health.controller';
import { GLOBAL_TAGS, METRICS_PREFIX } from './metrics.config';
import { OrdersModule } from './orders/orders.module';
import { ReportsModule } from './reports/reports.module';
import { UsersModule } from './users/users.module';

/**
 * The sample app. The StatsD address is only known at startup (the embedded sink may pick a free
 * port), hence `register(target)` rather than a static `@Module` import list.
 */
@Module({})
export class AppModule {
  static register(target: StatsdTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StatsdModule.forRoot({
          host: target.host,
          port: target.port,
          flavor: target.flavor,
          prefix: METRICS_PREFIX,
          globalTags: { ...GLOBAL_TAGS },
          // CPU is each request's own by default ('attributed'): the demo client, which runs in
          // this process, is charged to no request, and routes that only wait read near zero.
        }),
        UsersModule,
        OrdersModule,
        ReportsModule,
        AdminModule,
      ],
      controllers: [HealthController],
    };
  }
}
