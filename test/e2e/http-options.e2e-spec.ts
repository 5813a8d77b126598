import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StatsdService, type StatsdHttpOptions } from '../../lib';
import { HealthController, UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  closeAndDrain,
  metricsNamed,
  parsedMetrics,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

const users = { controller: 'UsersController' };

describe.each(ADAPTERS)('http options and @SkipMetrics (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  async function start(
    http?: StatsdHttpOptions | false,
    configure?: (nest: INestApplication) => void,
  ): Promise<INestApplication> {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), ...(http === undefined ? {} : { http }) },
      controllers: [UsersController, HealthController],
      configure,
    });
    return run.app;
  }

  /**
   * Sends `skipped` then `measured`, waits for the measured request's metrics, then shuts the
   * app down and returns every request metric that reached the sink.
   */
  async function onlyMeasured(
    nest: INestApplication,
    skipped: string,
    measured: string,
    measuredTags: Record<string, string>,
  ) {
    await request(nest.getHttpServer())
      .get(skipped)
      .expect((response) => expect(response.status).toBeLessThan(600));
    await request(nest.getHttpServer()).get(measured);
    await waitForRequests(run.sink, 1, { tags: measuredTags });
    return metricsNamed(await closeAndDrain(nest, run.sink));
  }

  const conflictTags = requestTags({
    ...users,
    handler: 'conflict',
    route: '/users/:id/conflict',
    status: 409,
    error: 'OrderConflictError',
  });
  const findOneTags = requestTags({
    ...users,
    handler: 'findOne',
    route: '/users/:id',
    status: 200,
  });

  it('sends nothing for a handler marked @SkipMetrics()', async () => {
    const nest = await start();

    expect(await onlyMeasured(nest, '/users/1/quiet', '/users/1', findOneTags)).toEqual(
      requestPair(findOneTags),
    );
  });

  it('sends nothing for a controller marked @SkipMetrics()', async () => {
    const nest = await start();

    expect(await onlyMeasured(nest, '/health', '/users/1', findOneTags)).toEqual(
      requestPair(findOneTags),
    );
  });

  it.each([
    ['an exact template', ['/users/:id'], '/users/1', '/users/1/conflict', conflictTags],
    ['a "*" prefix', ['/users/:id/*'], '/users/1/conflict', '/users/1', findOneTags],
    ['a RegExp', [/\/conflict$/], '/users/1/conflict', '/users/1', findOneTags],
  ] as const)(
    'excludes routes matching %s',
    async (_case, exclude, skipped, measured, measuredTags) => {
      const nest = await start({ exclude: [...exclude] });

      expect(await onlyMeasured(nest, skipped, measured, measuredTags)).toEqual(
        requestPair(measuredTags),
      );
    },
  );

  it('matches http.exclude against the template with the global prefix', async () => {
    const nest = await start({ exclude: ['/api/users/:id'] }, (app) => app.setGlobalPrefix('api'));
    const measuredTags = { ...conflictTags, route: '/api/users/:id/conflict' };

    expect(await onlyMeasured(nest, '/api/users/1', '/api/users/1/conflict', measuredTags)).toEqual(
      requestPair(measuredTags),
    );
  });

  it.each([
    ['http.enabled is false', { enabled: false }],
    ['http is false', false],
  ] as const)('sends no request metrics when %s', async (_case, http) => {
    const nest = await start(http);
    await request(nest.getHttpServer()).get('/users/1').expect(200);
    await request(nest.getHttpServer()).get('/nowhere').expect(404);
    // The service still works: its metric proves the sink received what the app sent.
    nest.get(StatsdService).increment('still.alive');

    const metrics = parsedMetrics(await closeAndDrain(nest, run.sink));

    expect(metrics).toEqual([
      { name: 'app.still.alive', type: 'c', values: [1], tags: { env: 'test' } },
    ]);
  });

  it('renames both request metrics with http.metricName', async () => {
    const nest = await start({ metricName: 'web.req' });
    const names = { wall: 'app.web.req', cpu: 'app.web.req.cpu' };

    await request(nest.getHttpServer()).get('/users/1').expect(200);

    const lines = await waitForRequests(run.sink, 1, names);
    expect(metricsNamed(lines, Object.values(names))).toEqual(requestPair(findOneTags, names));
    expect(metricsNamed(lines)).toEqual([]);
  });

  it('adds the tags returned by http.tags for the request', async () => {
    const nest = await start({
      tags: (req) => ({
        tenant: String(
          (req as { headers: Record<string, string | undefined> }).headers['x-tenant'],
        ),
      }),
    });

    await request(nest.getHttpServer()).get('/users/1').set('x-tenant', 'acme').expect(200);

    const lines = await waitForRequests(run.sink);
    expect(metricsNamed(lines)).toEqual(requestPair({ ...findOneTags, tenant: 'acme' }));
  });

  it('still answers and measures the request when http.tags throws', async () => {
    const nest = await start({
      tags: () => {
        throw new Error('tags exploded');
      },
    });

    await request(nest.getHttpServer()).get('/users/1').expect(200).expect({ id: 1 });

    const lines = await waitForRequests(run.sink);
    expect(metricsNamed(lines)).toEqual(requestPair(findOneTags));
  });
});
