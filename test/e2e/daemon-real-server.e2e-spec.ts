import type { StatsdModuleOptions } from '../../lib';
import { sharedDaemon, type SharedDaemon } from '../utils/daemon-client';
import { StatsdDaemon } from '../utils/statsd-daemon';
import { waitFor } from '../utils/wait-for';
import { startApp, uniquePrefix, type RunningApp } from '../fixtures/reliability-app';

/**
 * What a real StatsD server (Etsy's daemon, npm `statsd`) aggregates from a real Nest app.
 * Values are read back through the daemon's management port. The shared daemon (started by the
 * e2e global setup) is used with a unique prefix per test; the "bad lines" checks use a private
 * daemon, because `bad_lines_seen` is one process-wide counter that other spec files running in
 * parallel may move.
 */

const N = 30;
let shared: SharedDaemon;
let running: RunningApp | undefined;

beforeAll(() => {
  shared = sharedDaemon();
});

afterEach(async () => {
  await running?.app.close();
  running = undefined;
});

/**
 * Starts the app against `daemon` under a fresh prefix made from `label`, so tests sharing the
 * daemon never read each other's keys; the app is closed after the test.
 */
async function startAgainst(
  daemon: { host: string; port: number },
  label: string,
  options: Omit<StatsdModuleOptions, 'host' | 'port' | 'prefix'>,
): Promise<{ app: RunningApp; prefix: string }> {
  const prefix = uniquePrefix(label);
  running = await startApp({ host: daemon.host, port: daemon.port, prefix, ...options });
  return { app: running, prefix };
}

/** Timer values of the daemon whose key starts with `start`, by key. */
async function timersStartingWith(
  daemon: { mgmt: SharedDaemon['mgmt'] },
  start: string,
): Promise<Record<string, number[]>> {
  const timers = await daemon.mgmt.timers();
  return Object.fromEntries(Object.entries(timers).filter(([key]) => key.startsWith(start)));
}

function totalValues(timers: Record<string, number[]>): number {
  return Object.values(timers).reduce((sum, values) => sum + values.length, 0);
}

async function requests(app: RunningApp, count: number, path = '/users/42'): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { status } = await app.get(path);
    expect(status).toBeLessThan(500);
  }
}

describe('flavor "statsd" against the shared daemon', () => {
  it('stores exactly one request timing per request in one timer key', async () => {
    const { app, prefix } = await startAgainst(shared, 'dmn_req', {
      flavor: 'statsd',
      flushInterval: 50,
    });
    await requests(app, N);
    const wallStart = `${prefix}.http.request.controller_`;
    await waitFor(async () => totalValues(await timersStartingWith(shared, wallStart)) >= N, {
      description: `${N} request timings under ${wallStart}`,
      timeoutMs: 5000,
    });
    // Nothing more may arrive: flush once more and re-read.
    app.statsd.flush();
    const timers = await timersStartingWith(shared, wallStart);
    expect(Object.keys(timers)).toEqual([
      `${prefix}.http.request.controller_UsersController.handler_findOne.route__users__id.method_GET.status_200.status_class_2xx`,
    ]);
    expect(totalValues(timers)).toBe(N);
    for (const value of Object.values(timers)[0] ?? []) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('stores the CPU timing of each request next to the wall timing', async () => {
    const { app, prefix } = await startAgainst(shared, 'dmn_cpu', {
      flavor: 'statsd',
      flushInterval: 50,
    });
    await requests(app, N);
    const cpuStart = `${prefix}.http.request.cpu.`;
    await waitFor(async () => totalValues(await timersStartingWith(shared, cpuStart)) === N, {
      description: `${N} CPU timings under ${cpuStart}`,
      timeoutMs: 5000,
    });
  });

  it('aggregates counters, gauges, timings and @Measure timings as sent', async () => {
    const { app, prefix } = await startAgainst(shared, 'dmn_kinds', {
      flavor: 'statsd',
      flushInterval: 3_600_000,
    });
    const { statsd } = app;
    for (let i = 0; i < 5; i++) statsd.increment('orders', 2, { channel: 'web' });
    statsd.decrement('orders', 1, { channel: 'web' });
    statsd.gauge('queue.depth', 7);
    statsd.timing('db.query', 12.5);
    statsd.timing('db.query', 3);
    await requests(app, 4, '/users/7');
    statsd.flush();
    const key = {
      counter: `${prefix}.orders.channel_web`,
      gauge: `${prefix}.queue.depth`,
      timer: `${prefix}.db.query`,
      measured: `${prefix}.pricing.quote.outcome_success`,
    };
    await waitFor(
      async () => {
        const [counters, gauges, timers] = await Promise.all([
          shared.mgmt.counters(),
          shared.mgmt.gauges(),
          shared.mgmt.timers(),
        ]);
        return (
          counters[key.counter] === 9 &&
          gauges[key.gauge] === 7 &&
          timers[key.timer]?.length === 2 &&
          timers[key.measured]?.length === 4
        );
      },
      {
        description: `counter 9, gauge 7, 2 timings and 4 @Measure timings under ${prefix}`,
        timeoutMs: 5000,
      },
    );
    expect((await shared.mgmt.timers())[key.timer]?.slice().sort((a, b) => a - b)).toEqual([
      3, 12.5,
    ]);
  });

  it('applies a negative gauge as a value, not as a delta of the previous one', async () => {
    const { app, prefix } = await startAgainst(shared, 'dmn_gauge', {
      flavor: 'statsd',
      flushInterval: 3_600_000,
    });
    app.statsd.gauge('temperature', 20);
    app.statsd.flush();
    await waitFor(async () => (await shared.mgmt.gauges())[`${prefix}.temperature`] === 20, {
      description: 'gauge 20',
    });
    app.statsd.gauge('temperature', -5);
    app.statsd.flush();
    await waitFor(async () => (await shared.mgmt.gauges())[`${prefix}.temperature`] === -5, {
      description: 'gauge -5 (a bare "-5|g" would have made it 15)',
    });
  });
});

describe('flavor "dogstatsd" against the shared daemon', () => {
  it('folds tags into the key (route ":" params are stripped, not rejected) and keeps one value per request', async () => {
    const { app, prefix } = await startAgainst(shared, 'dmn_dog', {
      flavor: 'dogstatsd',
      flushInterval: 3_600_000,
      cpu: false,
    });
    const statsd = app.statsd;
    // One flush per request keeps one value per line (see the multi-value test below).
    for (let i = 0; i < N; i++) {
      await app.get('/users/9');
      statsd.flush();
    }
    const key = `${prefix}.http.request;controller=UsersController;handler=findOne;route=-users-id;method=GET;status=200;status_class=2xx`;
    await waitFor(async () => (await shared.mgmt.timers())[key]?.length === N, {
      description: `${N} values in ${key}`,
      timeoutMs: 5000,
    });
  });
});

describe('lines the daemon rejects (private daemon)', () => {
  let daemon: StatsdDaemon;

  beforeAll(async () => {
    daemon = await StatsdDaemon.start();
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('accepts every line of flavor "statsd", distributions asked for included: bad_lines_seen does not move', async () => {
    const before = await daemon.mgmt.badLinesSeen();
    const { app, prefix } = await startAgainst(daemon, 'dmn_bad', {
      flavor: 'statsd',
      flushInterval: 3_600_000,
      sampleRate: 1,
      // Etsy StatsD has no `d`: the request timings below must still arrive as timers.
      metricTypes: 'distribution',
    });
    const { statsd } = app;
    statsd.increment('a', 1, { k: 'v:1|x' });
    statsd.decrement('a', 3);
    statsd.gauge('g', -4);
    statsd.gauge('g2', 2.5);
    statsd.timing('t', 0.25);
    statsd.timing('t', 1e12);
    statsd.histogram('h', 3);
    statsd.distribution('d', 4);
    statsd.set('s', 'user:1|c');
    statsd.measure('work', () => 1);
    await requests(app, 10, '/users/1');
    await app.get('/users/1/conflict');
    await app.get('/nope/secret');
    statsd.flush();
    const marker = `${prefix}.t`;
    await waitFor(async () => (await daemon.mgmt.timers())[marker]?.length === 2, {
      description: `${marker} to arrive`,
    });
    await waitFor(
      async () =>
        totalValues(await timersStartingWith(daemon, `${prefix}.http.request.controller_`)) === 11,
      {
        description: '11 request timings',
      },
    );
    expect(await daemon.mgmt.badLinesSeen()).toBe(before);
  });

  it('accepts single-value DogStatsD lines with tags: bad_lines_seen does not move', async () => {
    const before = await daemon.mgmt.badLinesSeen();
    const { app, prefix } = await startAgainst(daemon, 'dmn_dogok', {
      flavor: 'dogstatsd',
      flushInterval: 3_600_000,
      cpu: false,
    });
    app.statsd.increment('hits', 1, { route: '/users/:id', a: 'b' });
    app.statsd.gauge('depth', 3, { q: 'x' });
    app.statsd.timing('t', 5, { k: 'v' });
    app.statsd.flush();
    await waitFor(async () => (await daemon.mgmt.timers())[`${prefix}.t;k=v`]?.length === 1, {
      description: 'the timing',
    });
    expect((await daemon.mgmt.counters())[`${prefix}.hits;route=-users-id;a=b`]).toBe(1);
    expect(await daemon.mgmt.badLinesSeen()).toBe(before);
  });

  // Not a guarantee but a documented incompatibility: DogStatsD protocol 1.1 packs several values
  // in one line (`name:1:2:3|ms|#tags`); Etsy's daemon reads only the last one and counts the
  // others as bad lines. Use `flavor: 'statsd'` with that daemon.
  it('documents that the Etsy daemon keeps only the last value of a multi-value DogStatsD line', async () => {
    const before = await daemon.mgmt.badLinesSeen();
    const { app, prefix } = await startAgainst(daemon, 'dmn_dogmulti', {
      flavor: 'dogstatsd',
      flushInterval: 3_600_000,
      cpu: false,
    });
    for (const value of [1, 2, 3, 4]) app.statsd.timing('t', value, { k: 'v' });
    app.statsd.flush();
    await waitFor(async () => (await daemon.mgmt.timers())[`${prefix}.t;k=v`] !== undefined, {
      description: 'the timing',
    });
    expect((await daemon.mgmt.timers())[`${prefix}.t;k=v`]).toEqual([4]);
    expect((await daemon.mgmt.badLinesSeen()) - before).toBe(3);
  });
});
