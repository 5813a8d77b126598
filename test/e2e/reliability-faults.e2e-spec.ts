import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { sendFailed } from '../../lib/statsd.messages';
import type { StatsdModuleOptions } from '../../lib';
import { freeTcpPort, freeUdpPort } from '../utils/free-port';
import { waitFor } from '../utils/wait-for';
import { startApp, timed } from '../fixtures/reliability-app';

/**
 * The agent is unreachable in every way we know: the app keeps serving, nothing escapes as an
 * unhandled exception or rejection, send errors are counted and logged at most once per
 * `errorLogInterval`, and `app.close()` returns within `closeTimeout` plus a margin.
 *
 * Unhandled rejections and uncaught exceptions: Jest runs the spec in a sandbox whose `process`
 * never delivers them to listeners added here, but jest-circus fails the running test with the
 * error itself (checked with a deliberate `Promise.reject()`), so any such escape fails these tests.
 */

const CLOSE_TIMEOUT = 300;
const CLOSE_MARGIN = 700;
const SEND_FAILED_PREFIX = sendFailed(new Error('x'), 0).split(':')[0] ?? '';

let errorLog: jest.SpyInstance;

beforeEach(() => {
  errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  errorLog.mockRestore();
});

function sendFailureLogs(): string[] {
  return errorLog.mock.calls
    .map((call) => String(call[0]))
    .filter((text) => text.startsWith(`${SEND_FAILED_PREFIX}: sending metrics failed`));
}

/** Serves requests, records and flushes metrics repeatedly, then closes; returns the stats. */
async function exercise(options: StatsdModuleOptions, expectErrors: boolean) {
  const running = await startApp({
    flushInterval: 20,
    closeTimeout: CLOSE_TIMEOUT,
    cpu: false,
    ...options,
  });
  for (let round = 0; round < 10; round++) {
    const { status, body } = await running.get(`/users/${round}`);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ id: String(round), price: String(round).length * 10 });
    running.statsd.increment('faults.round', 1, { round });
    running.statsd.flush();
  }
  if (expectErrors) {
    await waitFor(() => running.statsd.stats().sendErrors >= 3, {
      description: 'at least 3 send errors',
      timeoutMs: 8000,
    });
  }
  const stats = running.statsd.stats();
  const closeMs = await timed(() => running.app.close());
  expect(closeMs).toBeLessThan(CLOSE_TIMEOUT + CLOSE_MARGIN);
  return stats;
}

it('keeps serving when nothing listens on the UDP port', async () => {
  const port = await freeUdpPort('127.0.0.1');
  const stats = await exercise({ host: '127.0.0.1', port }, false);
  expect(stats.datagramsSent).toBeGreaterThan(0);
});

it('keeps serving, counts and logs once when the host name does not resolve', async () => {
  const stats = await exercise({ host: 'nonexistent.invalid', port: 8125 }, true);
  expect(stats.sendErrors).toBeGreaterThanOrEqual(3);
  expect(sendFailureLogs()).toHaveLength(1);
  expect(sendFailureLogs()[0]).toContain('nonexistent.invalid');
});

it('keeps serving, counts and logs once when the UDS path does not exist', async () => {
  const stats = await exercise({ protocol: 'uds', path: '/tmp/nestjs-statsd-nope.sock' }, true);
  expect(stats.sendErrors).toBeGreaterThanOrEqual(3);
  expect(sendFailureLogs()).toHaveLength(1);
});

it('keeps serving, counts and logs once when the TCP server refuses connections', async () => {
  const port = await freeTcpPort('127.0.0.1');
  const stats = await exercise({ protocol: 'tcp', host: '127.0.0.1', port }, true);
  expect(stats.sendErrors).toBeGreaterThanOrEqual(3);
  expect(sendFailureLogs()).toHaveLength(1);
});

it('keeps serving and closes in time when the TCP server accepts but never reads', async () => {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    await exercise({ protocol: 'tcp', host: '127.0.0.1', port }, false);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
