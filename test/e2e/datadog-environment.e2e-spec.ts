import { Test, type TestingModule } from '@nestjs/testing';
import { StatsdModule, StatsdService } from '../../lib';
import { detectOrigin, originFields } from '../../lib/origin/origin-detection';
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

  /** Sets (or with `undefined` unsets) a variable for this test only. */
  function setEnv(name: string, value: string | undefined): void {
    if (!(name in saved)) saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  beforeEach(async () => {
    collector = await UdpCollector.start();
    for (const [name, value] of Object.entries(DATADOG_ENVIRONMENT)) setEnv(name, value);
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await collector.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
      delete saved[name];
    }
  });

  async function start(options: Parameters<typeof StatsdModule.forRoot>[0]): Promise<StatsdService> {
    moduleRef = await Test.createTestingModule({
      imports: [StatsdModule.forRoot({ port: collector.port, prefix: 'app', http: false, flushInterval: 3_600_000, ...options })],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(StatsdService);
  }

  it("adds the unified service tags and the pod's entity ID (the suite turns container detection off)", async () => {
    const statsd = await start({});
    statsd.increment('orders.created', 1, { channel: 'web' });
    statsd.flush();

    const [line] = await collector.waitForLines(1);
    expect(line).toBe(
      'app.orders.created:1|c|#env:staging,service:orders,version:1.4.2,dd.internal.entity_id:pod-uid-1234,channel:web',
    );
    expect(parseDogStatsdLine(line as string).containerId).toBeUndefined();
  });

  it('ends every line with the container ID and the external env, after the tags', async () => {
    setEnv('DD_ORIGIN_DETECTION_ENABLED', undefined);
    setEnv('DD_EXTERNAL_ENV', 'it-false,cn-web,pu-0f1e2d3c');
    const containerId = 'c0ffee'.padEnd(64, '0');
    const statsd = await start({ originDetection: { containerId }, metricTypes: 'distribution' });
    statsd.increment('orders.created');
    statsd.measure('orders.price', () => 1);
    statsd.flush();

    const lines = await collector.waitForLines(3);
    const tags = '#env:staging,service:orders,version:1.4.2,dd.internal.entity_id:pod-uid-1234';
    const origin = `|c:${containerId}|e:it-false,cn-web,pu-0f1e2d3c`;
    expect(lines[0]).toBe(`app.orders.created:1|c|${tags}${origin}`);
    expect(lines.slice(1).map((line) => line.replace(/:[\d.]+\|/, ':<value>|')).sort()).toEqual([
      `app.orders.price.cpu:<value>|d|${tags},outcome:success${origin}`,
      `app.orders.price:<value>|d|${tags},outcome:success${origin}`,
    ]);
  });

  it("sends this machine's own container ID, or none, when detection is on", async () => {
    setEnv('DD_ORIGIN_DETECTION_ENABLED', undefined);
    const statsd = await start({});
    statsd.increment('orders.created');
    statsd.flush();

    // What the cgroup files of the machine running the suite give (none outside a container).
    const expected = originFields(detectOrigin({ entityId: true, containerId: true, externalEnv: true }));
    await expect(collector.waitForLines(1)).resolves.toEqual([
      `app.orders.created:1|c|#env:staging,service:orders,version:1.4.2,dd.internal.entity_id:pod-uid-1234${expected}`,
    ]);
  });

  it('sends no origin with originDetection: false, and DD_ORIGIN_DETECTION_ENABLED=false keeps a given ID only', async () => {
    setEnv('DD_EXTERNAL_ENV', 'it-false,cn-web,pu-0f1e2d3c');
    setEnv('DD_ORIGIN_DETECTION_ENABLED', undefined);
    const off = await start({ originDetection: false });
    off.increment('orders.created');
    off.flush();
    await expect(collector.waitForLines(1)).resolves.toEqual([
      'app.orders.created:1|c|#env:staging,service:orders,version:1.4.2',
    ]);
    await moduleRef?.close();
    collector.clear();

    setEnv('DD_ORIGIN_DETECTION_ENABLED', 'false');
    const given = await start({ originDetection: { containerId: 'abc123' } });
    given.increment('orders.created');
    given.flush();
    await expect(collector.waitForLines(1)).resolves.toEqual([
      'app.orders.created:1|c|#env:staging,service:orders,version:1.4.2,dd.internal.entity_id:pod-uid-1234|c:abc123',
    ]);
  });

  it('lets globalTags override the unified service tags', async () => {
    const statsd = await start({ globalTags: { env: 'prod' } });
    statsd.increment('orders.created');
    statsd.flush();

    const [line] = await collector.waitForLines(1);
    expect(parseDogStatsdLine(line as string).tags).toEqual({
      env: 'prod',
      service: 'orders',
      version: '1.4.2',
      'dd.internal.entity_id': 'pod-uid-1234',
    });
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

      await expect(collector.waitForLines(1)).resolves.toEqual([
        'app.queue.depth:3|g|#env:staging,service:orders,version:1.4.2,dd.internal.entity_id:pod-uid-1234',
      ]);
    } finally {
      delete process.env.DD_DOGSTATSD_URL;
    }
  });
});
