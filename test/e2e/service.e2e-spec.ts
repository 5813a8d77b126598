import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { StatsD } from 'hot-shots';
import { createSocket } from 'node:dgram';
import { StatsdModule, StatsdService, type StatsdModuleOptions } from '../../lib';
import { droppedInvalidName, droppedInvalidValue } from '../../lib/statsd.messages';
import { parseDogStatsdLine } from '../utils/statsd-line-parser';
import { UdpCollector } from '../utils/udp-collector';

/** Long enough that only explicit `flush()` calls (and shutdown) send anything. */
const NO_AUTOMATIC_FLUSH = 3_600_000;

describe('StatsdService (real UDP socket)', () => {
  let collector: UdpCollector;
  let moduleRef: TestingModule | undefined;

  beforeEach(async () => {
    collector = await UdpCollector.start();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await collector.close();
    jest.restoreAllMocks();
  });

  async function start(options: StatsdModuleOptions = {}): Promise<StatsdService> {
    moduleRef = await Test.createTestingModule({
      imports: [
        StatsdModule.forRoot({
          port: collector.port,
          prefix: 'app',
          globalTags: { env: 'test' },
          flushInterval: NO_AUTOMATIC_FLUSH,
          http: false,
          ...options,
        }),
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(StatsdService);
  }

  /** Flushes and waits until `count` lines arrived; returns every line received. */
  async function flushed(statsd: StatsdService, count: number): Promise<readonly string[]> {
    statsd.flush();
    return collector.waitForLines(count);
  }

  /** Sends a marker after everything else and waits for it, so absence can be asserted. */
  async function flushedUpToMarker(statsd: StatsdService): Promise<readonly string[]> {
    statsd.increment('marker');
    statsd.flush();
    const lines = await collector.waitForLines((all) =>
      all.some((line) => line.startsWith('app.marker:')),
    );
    return lines.filter((line) => !line.startsWith('app.marker:'));
  }

  it('sends a counter with the prefix and global tags', async () => {
    const statsd = await start();
    statsd.increment('orders');
    expect(await flushed(statsd, 1)).toEqual(['app.orders:1|c|#env:test']);
  });

  it('sends a counter with no tag field when there are no tags at all', async () => {
    const statsd = await start({ globalTags: {} });
    statsd.increment('orders', 2);
    expect(await flushed(statsd, 1)).toEqual(['app.orders:2|c']);
  });

  it('puts call tags after the global tags', async () => {
    const statsd = await start();
    statsd.increment('orders', 3, { k: 'v' });
    expect(await flushed(statsd, 1)).toEqual(['app.orders:3|c|#env:test,k:v']);
  });

  it('sends every metric type with and without tags', async () => {
    const statsd = await start();
    statsd.decrement('stock');
    statsd.decrement('stock', 4, { sku: 'a1' });
    statsd.gauge('queue', 12);
    statsd.gauge('queue', 7, { shard: 2 });
    statsd.timing('db', 12.5);
    statsd.timing('db', 3, { table: 'users' });
    statsd.histogram('size', 512);
    statsd.histogram('size', 64, { kind: 'small' });
    statsd.distribution('latency', 99);
    statsd.distribution('latency', 1.25, { region: 'eu' });
    statsd.set('visitors', 'u1');
    statsd.set('visitors', 42, { page: 'home' });
    statsd.increment('flags', 1, { beta: true });
    expect([...(await flushed(statsd, 13))].sort()).toEqual(
      [
        'app.stock:-1|c|#env:test',
        'app.stock:-4|c|#env:test,sku:a1',
        'app.queue:12|g|#env:test',
        'app.queue:7|g|#env:test,shard:2',
        'app.db:12.5|ms|#env:test',
        'app.db:3|ms|#env:test,table:users',
        'app.size:512|h|#env:test',
        'app.size:64|h|#env:test,kind:small',
        'app.latency:99|d|#env:test',
        'app.latency:1.25|d|#env:test,region:eu',
        'app.visitors:u1|s|#env:test',
        'app.visitors:42|s|#env:test,page:home',
        'app.flags:1|c|#env:test,beta:true',
      ].sort(),
    );
  });

  it('sends several values of one series in one flush as one multi-value line', async () => {
    const statsd = await start();
    for (const value of [5, 1, 3]) statsd.timing('db', value, { table: 'users' });
    expect(await flushed(statsd, 1)).toEqual(['app.db:5:1:3|ms|#env:test,table:users']);
  });

  it('sums counters and keeps the last gauge within one flush', async () => {
    const statsd = await start();
    statsd.increment('hits');
    statsd.increment('hits', 4);
    statsd.decrement('hits', 2);
    statsd.gauge('level', 1);
    statsd.gauge('level', 9);
    expect([...(await flushed(statsd, 2))].sort()).toEqual([
      'app.hits:3|c|#env:test',
      'app.level:9|g|#env:test',
    ]);
  });

  it('packs the lines of one flush into one datagram', async () => {
    const statsd = await start();
    statsd.increment('a');
    statsd.increment('b');
    statsd.increment('c');
    await flushed(statsd, 3);
    expect(collector.datagrams).toEqual([
      'app.a:1|c|#env:test\napp.b:1|c|#env:test\napp.c:1|c|#env:test',
    ]);
  });

  it('sends with a child client, adding its prefix and tags to the parent ones', async () => {
    const statsd = await start();
    const child = statsd.child({ prefix: 'billing', tags: { team: 'payments' } });
    const grandChild = child.child({ prefix: 'stripe.', tags: { psp: 'stripe' } });
    child.increment('invoices', 1, { k: 'v' });
    grandChild.timing('call', 8);
    expect([...(await flushed(statsd, 2))].sort()).toEqual([
      'app.billing.invoices:1|c|#env:test,team:payments,k:v',
      'app.billing.stripe.call:8|ms|#env:test,team:payments,psp:stripe',
    ]);
  });

  it('shares the parent connection and flush with its child clients', async () => {
    const statsd = await start();
    const child = statsd.child({ prefix: 'billing' });
    expect(child.client).toBe(statsd.client);
    statsd.increment('parent');
    child.increment('child');
    child.flush();
    await collector.waitForLines(2);
    expect(collector.datagrams).toEqual([
      'app.parent:1|c|#env:test\napp.billing.child:1|c|#env:test',
    ]);
  });

  describe('measure', () => {
    it('returns the result of a synchronous block and records its wall and CPU time', async () => {
      const statsd = await start({ cpu: 'process-share' });
      expect(statsd.measure('job', () => 42, { kind: 'sync' })).toBe(42);
      const lines = (await flushed(statsd, 2)).map(parseDogStatsdLine);
      expect(lines.map(({ name, type, tags }) => ({ name, type, tags }))).toEqual([
        { name: 'app.job', type: 'ms', tags: { env: 'test', kind: 'sync', outcome: 'success' } },
        {
          name: 'app.job.cpu',
          type: 'ms',
          tags: { env: 'test', kind: 'sync', outcome: 'success' },
        },
      ]);
      for (const { values } of lines) expect(values).toHaveLength(1);
    });

    it('times an async block until it settles and returns its value', async () => {
      const statsd = await start({ cpu: 'process-share' });
      const result = await statsd.measure('job', async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return 'done';
      });
      expect(result).toBe('done');
      const [wall] = (await flushed(statsd, 2)).map(parseDogStatsdLine);
      expect(wall?.name).toBe('app.job');
      expect(wall?.values[0]).toBeGreaterThanOrEqual(25);
    });

    it('rethrows the same error from a synchronous block and tags outcome:error', async () => {
      const statsd = await start({ cpu: 'process-share' });
      const failure = new RangeError('boom');
      let caught: unknown;
      try {
        statsd.measure('job', () => {
          throw failure;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(failure);
      const lines = (await flushed(statsd, 2)).map(parseDogStatsdLine);
      expect(lines.map(({ name, tags }) => [name, tags.outcome])).toEqual([
        ['app.job', 'error'],
        ['app.job.cpu', 'error'],
      ]);
    });

    it('rejects with the same error from an async block and tags outcome:error', async () => {
      const statsd = await start({ cpu: 'process-share' });
      const failure = new Error('async boom');
      await expect(statsd.measure('job', () => Promise.reject(failure))).rejects.toBe(failure);
      const lines = (await flushed(statsd, 2)).map(parseDogStatsdLine);
      expect(lines.map(({ name, tags }) => [name, tags.outcome])).toEqual([
        ['app.job', 'error'],
        ['app.job.cpu', 'error'],
      ]);
    });

    it('records no CPU line with cpu: false', async () => {
      const statsd = await start({ cpu: false });
      statsd.measure('job', () => undefined);
      const lines = await flushedUpToMarker(statsd);
      expect(lines.map((line) => parseDogStatsdLine(line).name)).toEqual(['app.job']);
    });
  });

  it('records a timer with its tags and the extra tags given to stop, returning the ms', async () => {
    const statsd = await start();
    const stop = statsd.startTimer('step', { phase: 'load' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsed = stop({ result: 'ok' });
    const [line] = (await flushed(statsd, 1)).map(parseDogStatsdLine);
    expect(line).toMatchObject({
      name: 'app.step',
      type: 'ms',
      tags: { env: 'test', phase: 'load', result: 'ok' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(line?.values[0]).toBeCloseTo(elapsed, 2);
  });

  it.each([NaN, Infinity, -Infinity, 1e300])(
    'drops the value %p instead of sending it, and logs why',
    async (value) => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const statsd = await start();
      statsd.timing('bad', value);
      statsd.gauge('bad', value);
      statsd.increment('bad', value);
      expect(await flushedUpToMarker(statsd)).toEqual([]);
      expect(errors).toHaveBeenCalledWith(droppedInvalidValue('app.bad', value));
    },
  );

  it.each(['', '...', 42, undefined])('drops a metric named %p and logs it', async (name) => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const statsd = await start();
    statsd.increment(name as string);
    expect(await flushedUpToMarker(statsd)).toEqual([]);
    expect(errors).toHaveBeenCalledWith(droppedInvalidName(name));
  });

  it('sanitizes hostile names and tags instead of breaking the line', async () => {
    const statsd = await start();
    statsd.increment('evil\nname:1|c', 1, { 'k|#': 'v\n,x:1|c' });
    statsd.set('members', 'a|s\nb:1|c');
    expect([...(await flushed(statsd, 2))].sort()).toEqual([
      'app.evil_name_1_c:1|c|#env:test,k__:v__x:1_c',
      'app.members:a_s_b_1_c|s|#env:test',
    ]);
  });

  it('exposes the hot-shots client, whose connection reaches the same agent', async () => {
    const statsd = await start();
    expect(statsd.client).toBeInstanceOf(StatsD);
    statsd.client.increment('raw.counter');
    expect(await collector.waitForLines(1)).toEqual(['raw.counter:1|c']);
  });

  it('sends at the flush interval without an explicit flush', async () => {
    const statsd = await start({ flushInterval: 20 });
    statsd.increment('ticks');
    expect(await collector.waitForLines(1)).toEqual(['app.ticks:1|c|#env:test']);
  });

  it('sends what was recorded but not flushed when the application closes', async () => {
    const statsd = await start();
    statsd.increment('last.words');
    await moduleRef?.close();
    moduleRef = undefined;
    expect(await collector.waitForLines(1)).toEqual(['app.last.words:1|c|#env:test']);
  });

  it('keeps lines in client.mockBuffer and sends nothing with mock: true', async () => {
    const statsd = await start({ mock: true });
    statsd.increment('orders', 2, { k: 'v' });
    statsd.timing('db', 1);
    statsd.timing('db', 2);
    statsd.flush();
    expect(statsd.client.mockBuffer).toEqual([
      'app.orders:2|c|#env:test,k:v',
      'app.db:1:2|ms|#env:test',
    ]);

    // Whatever the module sent would be on the socket before this later datagram.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      probe.send('probe:1|c', collector.port, '127.0.0.1', (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    probe.close();
    const lines = await collector.waitForLines((all) => all.includes('probe:1|c'));
    expect(lines).toEqual(['probe:1|c']);
  });

  describe('with a hot-shots client of the user', () => {
    let userClient: StatsD;

    beforeEach(() => {
      userClient = new StatsD({ host: '127.0.0.1', port: collector.port, prefix: 'ignored.' });
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => userClient.close(() => resolve()));
    });

    it('sends through that client, without its own prefix', async () => {
      // `sendMessage` is what the module sends through; hot-shots does not declare it in its types.
      const send = jest.spyOn(userClient as unknown as { sendMessage: () => void }, 'sendMessage');
      const statsd = await start({ client: userClient });
      expect(statsd.client).toBe(userClient);
      statsd.increment('orders');
      expect(await flushed(statsd, 1)).toEqual(['app.orders:1|c|#env:test']);
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('flushes but does not close that client at shutdown', async () => {
      const close = jest.spyOn(userClient, 'close');
      const statsd = await start({ client: userClient });
      statsd.increment('before.close');
      await moduleRef?.close();
      moduleRef = undefined;
      await collector.waitForLines(1);
      expect(close).not.toHaveBeenCalled();
      userClient.increment('still.open');
      expect(await collector.waitForLines(2)).toEqual([
        'app.before.close:1|c|#env:test',
        'ignored.still.open:1|c',
      ]);
    });
  });
});
