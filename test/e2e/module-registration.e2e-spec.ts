import { Injectable, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StatsdModule, StatsdService, type StatsdModuleOptions } from '../../lib';
import { missingAsyncOptions } from '../../lib/statsd.messages';
import { UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp, creationError } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

/** Configuration an application would read from its environment. */
class SinkConfig {
  constructor(readonly port: number) {}
}

/** Builds the module options from the configuration (for useClass / useExisting). */
@Injectable()
class StatsdConfigService {
  constructor(private readonly config: SinkConfig) {}

  create(): StatsdModuleOptions {
    return {
      port: this.config.port,
      prefix: 'cfg',
      globalTags: { source: 'config' },
      flushInterval: 20,
    };
  }
}

@Module({})
class ConfigModule {
  static with(port: number): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: SinkConfig, useValue: new SinkConfig(port) }, StatsdConfigService],
      exports: [SinkConfig, StatsdConfigService],
    };
  }
}

/** A feature that needs the StatsD client but does not import the module. */
@Injectable()
class Reporter {
  constructor(readonly statsd: StatsdService) {}
}

@Module({ providers: [Reporter], exports: [Reporter] })
class ReportingModule {}

const findOneFromConfig = {
  source: 'config',
  controller: 'UsersController',
  handler: 'findOne',
  route: '/users/:id',
  method: 'GET',
  status: '200',
  status_class: '2xx',
};
const configNames = { wall: 'cfg.http.request', cpu: 'cfg.http.request.cpu' };

describe.each(ADAPTERS)('StatsdModule registration (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  async function expectConfiguredMetrics(): Promise<void> {
    await request(run.app!.getHttpServer()).get('/users/3').expect(200);
    const lines = await waitForRequests(run.sink, 1, configNames);
    expect(metricsNamed(lines, Object.values(configNames))).toEqual(
      requestPair(findOneFromConfig, configNames),
    );
  }

  it('takes its options from forRootAsync useFactory with imports and inject', async () => {
    run.app = await createApp({
      adapter,
      imports: [
        StatsdModule.forRootAsync({
          imports: [ConfigModule.with(run.sink.port)],
          inject: [SinkConfig],
          useFactory: async (config: SinkConfig) => ({
            port: config.port,
            prefix: 'cfg',
            globalTags: { source: 'config' },
            flushInterval: 20,
          }),
        }),
      ],
      controllers: [UsersController],
    });

    await expectConfiguredMetrics();
  });

  it('takes its options from forRootAsync useClass', async () => {
    run.app = await createApp({
      adapter,
      imports: [
        StatsdModule.forRootAsync({
          imports: [ConfigModule.with(run.sink.port)],
          useClass: StatsdConfigService,
        }),
      ],
      controllers: [UsersController],
    });

    await expectConfiguredMetrics();
  });

  it('takes its options from forRootAsync useExisting', async () => {
    run.app = await createApp({
      adapter,
      imports: [
        StatsdModule.forRootAsync({
          imports: [ConfigModule.with(run.sink.port)],
          useExisting: StatsdConfigService,
        }),
      ],
      controllers: [UsersController],
    });

    await expectConfiguredMetrics();
  });

  it('fails application creation with the error a forRootAsync factory throws', async () => {
    const failure = new Error('configuration service unavailable');

    const error = await creationError({
      adapter,
      imports: [
        StatsdModule.forRootAsync({
          useFactory: () => {
            throw failure;
          },
        }),
      ],
    });

    expect(error).toBe(failure);
  });

  it('fails application creation when a forRootAsync factory returns nothing', async () => {
    const error = await creationError({
      adapter,
      imports: [
        StatsdModule.forRootAsync({
          useFactory: () => undefined as unknown as StatsdModuleOptions,
        }),
      ],
    });

    expect(error.message).toBe(missingAsyncOptions(undefined));
  });

  it('makes StatsdService injectable in modules that do not import it by default', async () => {
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      imports: [ReportingModule],
    });

    expect(run.app.get(Reporter).statsd).toBe(run.app.get(StatsdService));
  });

  it('does not make StatsdService injectable elsewhere with isGlobal: false', async () => {
    const error = await creationError({
      adapter,
      statsd: { ...sinkOptions(run.sink), isGlobal: false },
      imports: [ReportingModule],
    });

    expect(error.constructor.name).toBe('UnknownDependenciesException');
    expect(error.message).toContain(
      'Please make sure that the argument StatsdService at index [0] is available in the ReportingModule module.',
    );
  });

  it('keeps StatsdService injectable in the importing module with isGlobal: false', async () => {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), isGlobal: false },
      providers: [Reporter],
    });

    expect(run.app.get(Reporter).statsd).toBeInstanceOf(StatsdService);
  });
});
