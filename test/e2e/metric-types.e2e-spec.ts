import { type INestApplication, Injectable, Logger } from '@nestjs/common';
import request from 'supertest';
import { Measure, StatsdService, type StatsdModuleOptions } from '../../lib';
import { metricTypeFallback } from '../../lib/statsd.messages';
import { UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import { useAppUnderTest } from '../fixtures/app-under-test';
import { startMeasuredApp } from '../fixtures/measured-app';
import { flushedMetrics, sinkOptions } from '../fixtures/request-metrics';

/**
 * `metricTypes`: each family's duration metrics go out as timings, histograms or distributions,
 * still aggregated client-side (several values per line), and the flavors without `d` get `ms`.
 */

/** A line with its values replaced by `<n values>`, so the rest can be compared exactly. */
function masked(line: string): string {
  const match = /^([^:|]+):([^|]+)\|(.*)$/.exec(line);
  if (match === null) throw new Error(`not a StatsD line: ${line}`);
  const values = (match[2] as string).split(':');
  if (!values.every((value) => /^\d+(\.\d+)?$/.test(value))) throw new Error(`bad values: ${line}`);
  return `${match[1]}:<${values.length} values>|${match[3]}`;
}

const USERS_TAGS =
  'env:test,controller:UsersController,handler:findOne,route:/users/:id,method:GET,status:200,status_class:2xx';

describe.each(ADAPTERS)('metricTypes of the request metrics (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  async function threeRequests(options: Partial<StatsdModuleOptions>): Promise<string[]> {
    run.app = await createApp({
      adapter,
      statsd: { ...sinkOptions(run.sink), flushInterval: 3_600_000, ...options },
      controllers: [UsersController],
    });
    for (let i = 0; i < 3; i++)
      await request(run.app.getHttpServer()).get('/users/12345').expect(200);
    const lines = await run.stopAndCollect();
    return lines
      .filter((line) => line.startsWith('app.http.request'))
      .map(masked)
      .sort();
  }

  it.each([
    ['distribution', 'd'],
    ['histogram', 'h'],
    ['timing', 'ms'],
  ] as const)('sends requests as %s values, three on one line', async (type, wire) => {
    await expect(threeRequests({ metricTypes: { http: type } })).resolves.toEqual([
      `app.http.request.cpu:<3 values>|${wire}|#${USERS_TAGS}`,
      `app.http.request:<3 values>|${wire}|#${USERS_TAGS}`,
    ]);
  });

  it('sends distributions as timings to Telegraf, and says so at startup', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const lines = await threeRequests({ flavor: 'telegraf', metricTypes: 'distribution' });
      const tags = USERS_TAGS.replace(/:/g, '=').replace('/users/=id', '/users/_id');
      // Telegraf's format has one value per line.
      expect(lines).toEqual(
        [
          ...Array<string>(3).fill(`app.http.request,${tags}:<1 values>|ms`),
          ...Array<string>(3).fill(`app.http.request.cpu,${tags}:<1 values>|ms`),
        ].sort(),
      );
      const message = metricTypeFallback(
        ['http', 'decorator', 'block', 'graphql', 'rpc', 'ws'],
        'telegraf',
      );
      expect(warn.mock.calls.filter((call) => call[0] === message)).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

@Injectable()
class OrdersService {
  @Measure('orders.checkout')
  checkout(): Promise<string> {
    return Promise.resolve('ok');
  }
}

describe('metricTypes of @Measure(), measure() and startTimer()', () => {
  const run = useAppUnderTest<INestApplication>();

  async function start(options: Partial<StatsdModuleOptions>): Promise<StatsdService> {
    run.app = await startMeasuredApp(run.sink, [OrdersService], options);
    return run.app.get(StatsdService);
  }

  it('gives @Measure() its family type and measure()/startTimer() theirs; timing() stays a timing', async () => {
    const statsd = await start({ metricTypes: { decorator: 'histogram', block: 'distribution' } });
    const orders = run.app!.get(OrdersService);

    await orders.checkout();
    await orders.checkout();
    statsd.measure('report.build', () => 42);
    statsd.startTimer('import.run', { source: 'csv' })();
    statsd.timing('explicit', 5);
    const metrics = await flushedMetrics(statsd, run.sink);

    const typeOf = Object.fromEntries(metrics.map((metric) => [metric.name, metric.type]));
    expect(typeOf).toEqual({
      'app.orders.checkout': 'h',
      'app.orders.checkout.cpu': 'h',
      'app.report.build': 'd',
      'app.report.build.cpu': 'd',
      'app.import.run': 'd',
      'app.explicit': 'ms',
    });
    const checkout = metrics.find((metric) => metric.name === 'app.orders.checkout');
    expect(checkout?.values).toHaveLength(2);
    expect(metrics.find((metric) => metric.name === 'app.import.run')?.tags).toEqual({
      source: 'csv',
    });
  });

  it('sends distributions of measured calls as timings to Etsy StatsD', async () => {
    const statsd = await start({ flavor: 'statsd', metricTypes: 'distribution', cpu: false });
    await run.app!.get(OrdersService).checkout();
    statsd.flush();

    await expect(run.sink.waitForLines(1)).resolves.toEqual([
      expect.stringMatching(/^app\.orders\.checkout\.outcome_success:\d+(\.\d+)?\|ms$/),
    ]);
  });
});
