import { Module, type DynamicModule } from '@nestjs/common';
import type { StatsdModuleOptions } from '../options/statsd-options.interface';
import type { StatsdRuntime } from '../runtime/statsd-runtime';
import { STATSD_RUNTIME } from '../statsd.constants';
import { StatsdModule } from '../statsd.module';
import { StatsdRecorder } from './statsd-recorder';

/** Options of `StatsdTestingModule.forRoot()`: the module's options without the transport. */
export type StatsdTestingOptions = Omit<StatsdModuleOptions, 'host' | 'port' | 'protocol' | 'path' | 'mock' | 'client' | 'flavor'>;

/**
 * `StatsdModule` for an application's own tests: nothing is sent, every metric is kept in memory
 * and queried through the injectable `StatsdRecorder`. Request metrics, `@Measure()` and
 * `StatsdService` behave exactly as in production.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [StatsdTestingModule.forRoot({ prefix: 'app' }), OrdersModule],
 * }).compile();
 * await moduleRef.get(OrdersService).checkout(order);
 * expect(moduleRef.get(StatsdRecorder).count('orders.checkout', { outcome: 'success' })).toBe(1);
 */
@Module({})
export class StatsdTestingModule {
  static forRoot(options: StatsdTestingOptions = {}): DynamicModule {
    return {
      module: StatsdTestingModule,
      global: true,
      // Origin detection is off unless asked for: an app's tests must not depend on the machine.
      imports: [StatsdModule.forRoot({ originDetection: false, ...options, mock: true, flavor: 'dogstatsd', flushInterval: 3_600_000 })],
      providers: [
        {
          provide: StatsdRecorder,
          useFactory: (runtime: StatsdRuntime) => new StatsdRecorder(runtime),
          inject: [STATSD_RUNTIME],
        },
      ],
      exports: [StatsdRecorder],
    };
  }
}
