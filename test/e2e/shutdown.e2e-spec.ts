import type { INestApplication } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import { closeAndDrain, CPU, sinkOptions, valueCount, WALL } from '../fixtures/request-metrics';
import { freeTcpPort, freeUdpPort } from '../utils/free-port';
import { UdpCollector } from '../utils/udp-collector';

const REQUESTS = 25;
const CLOSE_TIMEOUT_MS = 300;
/** Room for hot-shots' own close (≈55 ms on UDP) and a loaded CI machine. */
const CLOSE_MARGIN_MS = 1000;

describe.each(ADAPTERS)('shutdown (%s)', (adapter) => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('sends every request recorded before app.close(), however long the flush interval', async () => {
    const sink = await UdpCollector.start();
    try {
      app = await createApp({
        adapter,
        statsd: { ...sinkOptions(sink), flushInterval: 60_000 },
        controllers: [UsersController],
      });
      for (let i = 0; i < REQUESTS; i++)
        await request(app.getHttpServer()).get(`/users/${i}`).expect(200);
      expect(sink.lines).toEqual([]);

      const lines = await closeAndDrain(app, sink);

      expect(valueCount(lines, WALL)).toBe(REQUESTS);
      expect(valueCount(lines, CPU)).toBe(REQUESTS);
    } finally {
      await sink.close();
    }
  });

  it.each([
    ['udp', freeUdpPort],
    ['tcp', freeTcpPort],
  ] as const)(
    'closes within closeTimeout when nothing listens (%s)',
    async (protocol, closedPort) => {
      const port = await closedPort('127.0.0.1');
      app = await createApp({
        adapter,
        statsd: {
          host: '127.0.0.1',
          port,
          protocol,
          prefix: 'app',
          flushInterval: 60_000,
          closeTimeout: CLOSE_TIMEOUT_MS,
        },
        controllers: [UsersController],
      });
      await request(app.getHttpServer()).get('/users/1').expect(200);

      const started = performance.now();
      await app.close();
      const elapsed = performance.now() - started;
      app = undefined;

      expect(elapsed).toBeLessThan(CLOSE_TIMEOUT_MS + CLOSE_MARGIN_MS);
    },
  );
});
