import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import { positiveNumber, sinkOptions } from '../fixtures/request-metrics';
import { parseEtsyLine, parseTelegrafLine } from '../utils/statsd-line-parser';
import { useAppUnderTest } from '../fixtures/app-under-test';

describe.each(ADAPTERS)('wire flavors of the request metrics (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  it('folds every tag into the name with flavor "statsd" (plain Etsy StatsD)', async () => {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), flavor: 'statsd' },
      controllers: [UsersController],
    });

    await request(run.app.getHttpServer()).get('/users/12345').expect(200);

    const lines = await run.sink.waitForLines(2);
    expect(lines.every((line) => !line.includes('|#') && !line.includes(','))).toBe(true);
    const folded =
      '.env_test.controller_UsersController.handler_findOne.route__users__id.method_GET.status_200.status_class_2xx';
    expect(lines.flatMap(parseEtsyLine).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: `app.http.request.cpu${folded}`, type: 'ms', tags: {}, values: [positiveNumber()] },
      { name: `app.http.request${folded}`, type: 'ms', tags: {}, values: [positiveNumber()] },
    ]);
  });

  it('writes Influx-style tags with flavor "telegraf"', async () => {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), flavor: 'telegraf' },
      controllers: [UsersController],
    });

    await request(run.app.getHttpServer()).get('/users/12345').expect(200);

    const lines = await run.sink.waitForLines(2);
    // Telegraf splits on ":", so the route template cannot keep its ":id".
    const tags = {
      env: 'test',
      controller: 'UsersController',
      handler: 'findOne',
      route: '/users/_id',
      method: 'GET',
      status: '200',
      status_class: '2xx',
    };
    expect(lines.flatMap(parseTelegrafLine).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'app.http.request', type: 'ms', tags, values: [positiveNumber()] },
      { name: 'app.http.request.cpu', type: 'ms', tags, values: [positiveNumber()] },
    ]);
  });
});
