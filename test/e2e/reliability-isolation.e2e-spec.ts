import { Injectable, Logger } from '@nestjs/common';
import { Measure } from '../../lib';
import { HotShotsTransport } from '../../lib/transport/hot-shots-transport';
import { Series } from '../../lib/wire/series';
import { UdpCollector } from '../utils/udp-collector';
import { startApp, timed, type RunningApp } from '../fixtures/reliability-app';

/**
 * A failure of the metrics themselves (recording throws, the transport throws, a hostile
 * `http.tags`) never changes what the application returns, its status, or the error it throws.
 */

@Injectable()
class Flaky {
  @Measure('flaky.ok')
  ok(value: number): number {
    return value * 2;
  }

  @Measure('flaky.fails')
  async fails(): Promise<never> {
    await Promise.resolve();
    throw new RangeError('the handler own error');
  }
}

let collector: UdpCollector;
let running: RunningApp | undefined;
let errorLog: jest.SpyInstance;

beforeEach(async () => {
  errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  collector = await UdpCollector.start();
});

afterEach(async () => {
  jest.restoreAllMocks();
  if (running) expect(await timed(() => running!.app.close())).toBeLessThan(1500);
  running = undefined;
  await collector.close();
});

async function expectResponsesUnchanged(app: RunningApp): Promise<void> {
  expect(await app.get('/users/12')).toEqual({
    status: 200,
    body: JSON.stringify({ id: '12', price: 20 }),
  });
  const conflict = await app.get('/users/12/conflict');
  expect(conflict.status).toBe(409);
  expect(JSON.parse(conflict.body)).toEqual({
    statusCode: 409,
    message: 'taken',
    error: 'Conflict',
  });
  expect((await app.get('/boom')).status).toBe(500);
  expect((await app.get('/missing')).status).toBe(404);
}

it('serves the same responses when recording a metric throws', async () => {
  running = await startApp({ host: '127.0.0.1', port: collector.port, flushInterval: 20 });
  jest.spyOn(Series.prototype, 'add').mockImplementation(() => {
    throw new Error('recording broke');
  });
  await expectResponsesUnchanged(running);
  expect(errorLog.mock.calls.some((call) => String(call[0]).includes('recording broke'))).toBe(
    true,
  );
});

it('serves the same responses when the transport throws on every send', async () => {
  running = await startApp({ host: '127.0.0.1', port: collector.port, flushInterval: 20 });
  const send = jest.spyOn(HotShotsTransport.prototype, 'send').mockImplementation(() => {
    throw new Error('socket broke');
  });
  await expectResponsesUnchanged(running);
  running.statsd.flush();
  expect(send).toHaveBeenCalled();
});

it('serves the same responses when http.tags throws or returns hostile values', async () => {
  let calls = 0;
  running = await startApp({
    host: '127.0.0.1',
    port: collector.port,
    flushInterval: 20,
    http: {
      tags: () => {
        calls++;
        if (calls % 2 === 0) throw new Error('tags broke');
        return {
          weird: {
            toString: () => {
              throw new Error('toString broke');
            },
          } as unknown as string,
        };
      },
    },
  });
  await expectResponsesUnchanged(running);
  await expectResponsesUnchanged(running);
  expect(calls).toBeGreaterThanOrEqual(8);
});

it('returns and rethrows exactly what a @Measure()d method does when recording throws', async () => {
  running = await startApp({ host: '127.0.0.1', port: collector.port, flushInterval: 20 });
  const flaky = new Flaky();
  jest.spyOn(Series.prototype, 'add').mockImplementation(() => {
    throw new Error('recording broke');
  });
  expect(flaky.ok(21)).toBe(42);
  const error = await flaky.fails().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RangeError);
  expect((error as Error).message).toBe('the handler own error');
});
