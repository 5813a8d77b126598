import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StatsdModule, type StatsdModuleOptions } from '../../lib';
import { UsersController } from '../fixtures/demo.controller';
import { InterceptedController } from '../fixtures/http-controllers';
import { ADAPTERS, createApp, type AdapterName } from '../fixtures/http-app';
import {
  closeAndDrain,
  metricsNamed,
  requestPair,
  USERS_FIND_ONE_TAGS,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';
import type { UdpCollector } from '../utils/udp-collector';

/** A feature module that registers the StatsD module itself, as libraries and features do. */
function featureWithStatsd(options: StatsdModuleOptions): DynamicModule {
  @Module({})
  class FeatureModule {}
  return { module: FeatureModule, imports: [StatsdModule.forRoot(options)] };
}

/** Requests whose metrics both measuring modes must report alike. */
const REQUESTS = [
  ['get', '/users/12', 200],
  ['post', '/users', 202],
  ['get', '/users/abc', 400],
  ['get', '/users/1/bad', 400],
  ['get', '/users/1/conflict', 409],
  ['get', '/users/1/crash', 500],
  ['get', '/users/1/legacy', 307],
  ['get', '/users/1/file', 200],
  ['get', '/users/1/events', 200],
] as const;

describe.each(ADAPTERS)('one pair of metrics per request (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  it('sends one pair per request when the module is imported twice', async () => {
    run.app = await createApp({
      adapter,
      imports: [featureWithStatsd(sinkOptions(run.sink)), featureWithStatsd(sinkOptions(run.sink))],
      controllers: [UsersController],
    });

    await request(run.app.getHttpServer()).get('/users/7').expect(200);
    await waitForRequests(run.sink);

    expect(metricsNamed(await closeAndDrain(run.app, run.sink))).toEqual(requestPair(USERS_FIND_ONE_TAGS));
  });

  // The interceptor must stay silent where the adapter hooks measure, and count once where it
  // measures itself: the same request and the same expected pair in both modes.
  it.each<[string, Pick<StatsdModuleOptions, 'http'>]>([
    ['sends one pair per request when the controller also uses StatsdInterceptor', {}],
    [
      'sends one pair per request with StatsdInterceptor on the controller in interceptor mode',
      { http: { mode: 'interceptor' } },
    ],
  ])('%s', async (_name, mode) => {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), ...mode },
      controllers: [InterceptedController],
    });

    await request(run.app.getHttpServer()).get('/intercepted/7').expect(200);
    await waitForRequests(run.sink);

    expect(metricsNamed(await closeAndDrain(run.app, run.sink))).toEqual(
      requestPair(
        requestTags({
          controller: 'InterceptedController',
          handler: 'findOne',
          route: '/intercepted/:id',
          status: 200,
        }),
      ),
    );
  });

  it('sends the same metrics in interceptor mode as in the default mode', async () => {
    const byHooks = await tagSetsOf(adapter, run.sink, {});
    run.sink.clear();
    const byInterceptor = await tagSetsOf(adapter, run.sink, { mode: 'interceptor' });

    // Two lines (wall and CPU) per request, each with a distinct tag set here.
    expect(byHooks).toHaveLength(REQUESTS.length * 2);
    expect(byInterceptor).toEqual(byHooks);
  });
});

/** Runs every request of REQUESTS once and returns what was sent: name, tags, value count. */
async function tagSetsOf(
  adapter: AdapterName,
  sink: UdpCollector,
  http: { mode?: 'hooks' | 'interceptor' },
): Promise<Array<{ name: string; tags: Record<string, string>; count: number }>> {
  const app = await createApp({
    adapter,
    statsd: { ...sinkOptions(sink), http },
    controllers: [UsersController],
  });
  try {
    for (const [method, path, status] of REQUESTS)
      await request(app.getHttpServer())[method](path).expect(status);
    await waitForRequests(sink, 1, {
      tags: requestTags({
        controller: 'UsersController',
        handler: 'events',
        route: '/users/:id/events',
        status: 200,
      }),
    });
  } finally {
    await closeAndDrain(app, sink);
  }
  return metricsNamed(sink.lines).map(({ name, tags, values }) => ({
    name,
    tags,
    count: values.length,
  }));
}
