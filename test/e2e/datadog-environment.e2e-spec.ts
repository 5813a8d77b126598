import { Test, type TestingModule } from '@nestjs/testing';
import { StatsdModule, StatsdService } from '../../lib';
import { parseDogStatsdLine } from '../utils/statsd-line-parser';
import { UdpCollector } from '../utils/udp-collector';

/** Datadog variables a container typically has; any DD_* one turns on hot-shots' Datadog mode. */
const DATADOG_ENVIRONMENT = {
  DD_ENV: 'staging',
  DD_SERVICE: 'orders',
  DD_VERSION: '1.4.2',
  DD_ENTITY_ID: 'pod-uid-1234',
};

describe('Datadog environment', () => {
  let collector: UdpCollector;
  let moduleRef: TestingModule | undefined;
  const saved: Record<string, string | undefined> = {};

  beforeEach(async () => {
    collector = await UdpCollector.start();
    for (const [name, value] of Object.entries(DATADOG_ENVIRONMENT)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await collector.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function start(options: Parameters<typeof StatsdModule.forRoot>[0]): Promise<StatsdService> {
    moduleRef = await Test.createTestingModule({
      imports: [StatsdModule.forRoot({ port: collector.port, prefix: 'app', http: false, flushInterval: 3_600_000, ...options })],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(StatsdService);
  }

  it('adds the unified service tags and nothing else hot-shots would add in Datadog mode', async () => {
    const statsd = await start({});
    statsd.increment('orders.created', 1, { channel: 'web' });
    statsd.flush();

    const [line] = await collector.waitForLines(1);
    expect(line).toBe('app.orders.created:1|c|#env:staging,service:orders,version:1.4.2,channel:web');
    expect(parseDogStatsdLine(line as string).containerId).toBeUndefined();
  });

  it('lets globalTags override the unified service tags', async () => {
    const statsd = await start({ globalTags: { env: 'prod' } });
    statsd.increment('orders.created');
    statsd.flush();

    const [line] = await collector.waitForLines(1);
    expect(parseDogStatsdLine(line as string).tags).toEqual({ env: 'prod', service: 'orders', version: '1.4.2' });
  });

  it('does not add Datadog tags to the other flavors', async () => {
    const statsd = await start({ flavor: 'telegraf' });
    statsd.increment('orders.created');
    statsd.flush();

    await expect(collector.waitForLines(1)).resolves.toEqual(['app.orders.created:1|c']);
  });

  it('sends to the address of DD_DOGSTATSD_URL when no option names one', async () => {
    process.env.DD_DOGSTATSD_URL = `udp://127.0.0.1:${collector.port}`;
    try {
      moduleRef = await Test.createTestingModule({
        imports: [StatsdModule.forRoot({ prefix: 'app', http: false, flushInterval: 3_600_000 })],
      }).compile();
      await moduleRef.init();
      const statsd = moduleRef.get(StatsdService);
      statsd.gauge('queue.depth', 3);
      statsd.flush();

      await expect(collector.waitForLines(1)).resolves.toEqual(['app.queue.depth:3|g|#env:staging,service:orders,version:1.4.2']);
    } finally {
      delete process.env.DD_DOGSTATSD_URL;
    }
  });
});
