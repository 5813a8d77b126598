import { Logger } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_IN_FLIGHT_BYTES } from '../../lib/transport/hot-shots-transport';
import { waitFor } from '../utils/wait-for';
import { startApp, timed, type RunningApp } from '../fixtures/reliability-app';
import { TcpLineServer } from '../fixtures/tcp-line-server';

/**
 * TCP agents that fail in the ways hot-shots alone does not survive: one that dies and comes
 * back on the same port (metrics must resume), and one that accepts but never reads (memory must
 * stay bounded, drops counted). Unhandled rejections or exceptions fail these tests through Jest.
 */

const CLOSE_TIMEOUT = 300;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
let running: RunningApp | undefined;
let errorLog: jest.SpyInstance;
/** Every server a test started, stopped after it whatever happened. */
const servers: TcpLineServer[] = [];

async function serve(port = 0, options: { read?: boolean } = {}): Promise<TcpLineServer> {
  const server = await TcpLineServer.start(port, options);
  servers.push(server);
  return server;
}

/** An app sending over TCP to `port` on loopback; flushes only when told, no CPU metrics. */
function startTcpApp(port: number, options: { http?: false } = {}): Promise<RunningApp> {
  return startApp({
    protocol: 'tcp',
    host: '127.0.0.1',
    port,
    flushInterval: 3_600_000,
    closeTimeout: CLOSE_TIMEOUT,
    cpu: false,
    ...options,
  });
}

beforeEach(() => {
  errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});

afterEach(async () => {
  try {
    if (running) {
      const closeMs = await timed(() => running!.app.close());
      expect(closeMs).toBeLessThan(CLOSE_TIMEOUT + 700);
    }
  } finally {
    running = undefined;
    errorLog.mockRestore();
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  }
});

it('resumes sending after the TCP server dies and comes back on the same port', async () => {
  const first = await serve();
  const port = first.port;
  running = await startTcpApp(port);
  const { statsd } = running;

  statsd.increment('phase.before');
  statsd.flush();
  await waitFor(() => first.lines.includes('phase.before:1|c'), {
    description: 'the first metric on the first server',
  });

  await first.stop();
  // Keep sending while it is down until the failure is seen (and a reconnect scheduled).
  await waitFor(
    () => {
      statsd.increment('phase.down');
      statsd.flush();
      return statsd.stats().sendErrors > 0;
    },
    { description: 'a send error once the server is gone', timeoutMs: 5000 },
  );
  expect((await running.get('/users/1')).status).toBe(200);

  const second = await serve(port);
  await waitFor(
    () => {
      statsd.increment('phase.after');
      statsd.flush();
      return second.lines.some((line) => line.startsWith('phase.after:'));
    },
    { description: 'metrics on the restarted server', timeoutMs: 6000, maxIntervalMs: 100 },
  );
  expect(statsd.stats().reconnects).toBeGreaterThanOrEqual(1);
  expect((await running.get('/users/2')).status).toBe(200);
});

it('keeps resuming after several outages (the backoff resets once sending works again)', async () => {
  const first = await serve();
  const port = first.port;
  running = await startTcpApp(port);
  const { statsd } = running;
  let server = first;
  for (let outage = 1; outage <= 3; outage++) {
    await server.stop();
    const errorsBefore = statsd.stats().sendErrors;
    await waitFor(
      () => {
        statsd.increment('outage.down');
        statsd.flush();
        return statsd.stats().sendErrors > errorsBefore;
      },
      { description: `a send error in outage ${outage}`, timeoutMs: 5000 },
    );
    server = await serve(port);
    const current = server;
    const marker = `outage.after${outage}:`;
    const resumedIn = await timed(() =>
      waitFor(
        () => {
          statsd.increment(`outage.after${outage}`);
          statsd.flush();
          return current.lines.some((line) => line.startsWith(marker));
        },
        { description: `metrics after outage ${outage}`, timeoutMs: 6000, maxIntervalMs: 100 },
      ),
    );
    // First retry after 500 ms; a backoff that kept doubling across outages would exceed this.
    expect(resumedIn).toBeLessThan(2500);
  }
});

it('bounds memory with a TCP server that accepts but never reads, and counts what it drops', async () => {
  const server = await serve(0, { read: false });
  running = await startTcpApp(server.port, { http: false });
  const { statsd } = running;
  await waitFor(() => server.accepted === 1, { description: 'the client to connect' });
  const before = memory();
  // 100k values as 100k lines of ~400 bytes (~40 MB offered): 50 long-named series, flushed
  // every 50 values so client-side aggregation cannot fold them.
  const longName = 'stalled.'.padEnd(180, 'x');
  const longTag = 'v'.padEnd(150, 'y');
  for (let i = 0; i < 100_000; i++) {
    statsd.timing(`${longName}${i % 50}`, i % 1000, { detail: longTag });
    if (i % 50 === 49) statsd.flush();
  }
  const after = memory();
  const stats = statsd.stats();
  const growthMiB = after - before;
  console.log(
    `never-reading TCP peer, 100k metrics: heap+external ${before.toFixed(1)} -> ${after.toFixed(1)} MiB ` +
      `(+${growthMiB.toFixed(1)}); datagrams sent ${stats.datagramsSent}, dropped ${stats.queueFullDatagramsDropped}`,
  );
  expect(stats.datagramsSent + stats.queueFullDatagramsDropped).toBeGreaterThan(20_000);
  expect(stats.datagramsSent).toBeGreaterThan(0);
  expect(stats.queueFullDatagramsDropped).toBeGreaterThan(stats.datagramsSent);
  // Offered ~40 MB; kept at most the 4 MiB cap (plus the kernel's socket buffers, not on the heap).
  expect(growthMiB).toBeLessThan((MAX_IN_FLIGHT_BYTES / 1048576) * 4);
  expect((await running.get('/users/1')).status).toBe(200);
});

/** V8 heap plus external memory (Buffers queued on a socket live there), after a full GC, in MiB. */
function memory(): number {
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / 1048576;
}
