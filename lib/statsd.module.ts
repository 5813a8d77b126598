import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { offerToNonHttpContexts, withdrawFromHttp } from './contexts/non-http-registration';
import { StatsdGraphqlPlugin } from './graphql/statsd-graphql.plugin';
import { installHttpInstrumentation } from './http/http-instrumentation';
import { StatsdInterceptor } from './http/statsd.interceptor';
import { resolveOptions } from './options/resolve-options';
import { RuntimeMetricsCollector } from './runtime-metrics/runtime-metrics.collector';
import { StatsdRuntime } from './runtime/statsd-runtime';
import { STATSD_RUNTIME } from './statsd.constants';
import {
  STATSD_ASYNC_OPTIONS_TYPE,
  STATSD_MODULE_OPTIONS,
  STATSD_OPTIONS_TYPE,
  StatsdConfigurableModule,
} from './statsd.module-definition';
import { StatsdService } from './statsd.service';

const PROVIDERS: Provider[] = [
  {
    provide: STATSD_RUNTIME,
    // Validation happens here so forRoot and forRootAsync share it and fail at startup.
    useFactory: (options: unknown) => new StatsdRuntime(resolveOptions(options)),
    inject: [STATSD_MODULE_OPTIONS],
  },
  {
    provide: StatsdService,
    useFactory: (runtime: StatsdRuntime) => {
      const service = new StatsdService(runtime);
      const interval = runtime.options.runtimeMetricsInterval;
      if (interval !== undefined) runtime.attach(new RuntimeMetricsCollector(service, interval));
      return service;
    },
    inject: [STATSD_RUNTIME],
  },
  StatsdInterceptor,
  StatsdGraphqlPlugin,
];
const EXPORTS = [StatsdService, StatsdInterceptor, StatsdGraphqlPlugin, STATSD_RUNTIME];

/**
 * StatsD metrics for a Nest application: an injectable `StatsdService`, automatic request
 * metrics (HTTP, microservice messages and events, gateway messages), and the client behind
 * `@Measure()`. Global unless `isGlobal: false`.
 *
 * @example
 * StatsdModule.forRoot({ host: '127.0.0.1', port: 8125, prefix: 'myapp', globalTags: { env: 'prod' } })
 */
@Module({})
export class StatsdModule extends StatsdConfigurableModule implements NestModule {
  constructor(
    @Inject(STATSD_RUNTIME) private readonly runtime: StatsdRuntime,
    private readonly adapterHost: HttpAdapterHost,
    private readonly applicationConfig: ApplicationConfig,
    private readonly interceptor: StatsdInterceptor,
  ) {
    super();
    offerToNonHttpContexts(applicationConfig, interceptor);
  }

  /** Registers with options known at startup. */
  static forRoot(options: typeof STATSD_OPTIONS_TYPE = {}): DynamicModule {
    return withProviders(super.forRoot(options), options.isGlobal);
  }

  /** Registers with options from a factory, a class or an existing provider. */
  static forRootAsync(options: typeof STATSD_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withProviders(super.forRootAsync(options), options.isGlobal);
  }

  /**
   * Runs before Nest registers the routes, which is the last moment request hooks, the handler
   * stamp or a global interceptor can still be put in front of them.
   */
  configure(_consumer: MiddlewareConsumer): void {
    withdrawFromHttp(this.applicationConfig, this.interceptor);
    installHttpInstrumentation(this.runtime, this.adapterHost.httpAdapter, this.applicationConfig);
  }
}

function withProviders(definition: DynamicModule, isGlobal: boolean | undefined): DynamicModule {
  return {
    ...definition,
    global: isGlobal ?? true,
    providers: [...(definition.providers ?? []), ...PROVIDERS],
    exports: [...(definition.exports ?? []), ...EXPORTS],
  };
}
