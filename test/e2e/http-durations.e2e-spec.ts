import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  CHUNK_COUNT,
  CHUNK_DELAY_MS,
  GatedController,
  HandlerGate,
  SlowStreamController,
} from '../fixtures/http-controllers';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  closeAndDrain,
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
  WALL,
} from '../fixtures/request-metrics';
import { UdpCollector } from '../utils/udp-collector';

/** Timers may fire up to a millisecond early by `performance.now()`; allow that per chunk. */
const STREAMED_AT_LEAST_MS = CHUNK_COUNT * (CHUNK_DELAY_MS - 1);

describe.each(ADAPTERS)('request duration and aborted requests (%s)', (adapter) => {
  let sink: UdpCollector;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    sink = await UdpCollector.start();
    app = await createApp({
      adapter,
      statsd: sinkOptions(sink),
      controllers: [SlowStreamController, GatedController],
      providers: [HandlerGate],
    });
  });

  afterEach(async () => {
    app?.get(HandlerGate).release();
    await app?.close();
    await sink.close();
  });

  function wallValue(lines: readonly string[]): number {
    const wall = metricsNamed(lines, [WALL]);
    expect(wall).toHaveLength(1);
    return wall[0]!.values[0] as number;
  }

  it('times a StreamableFile until its slow stream has been sent', async () => {
    const response = await request(app!.getHttpServer()).get('/slow/file').expect(200);
    expect(response.text).toBe('chunk 1\nchunk 2\nchunk 3\n');

    const lines = await waitForRequests(sink);

    expect(metricsNamed(lines)).toEqual(
      requestPair(
        requestTags({
          controller: 'SlowStreamController',
          handler: 'file',
          route: '/slow/file',
          status: 200,
        }),
      ),
    );
    expect(wallValue(lines)).toBeGreaterThanOrEqual(STREAMED_AT_LEAST_MS);
  });

  it('times an SSE stream until it ends', async () => {
    const response = await request(app!.getHttpServer()).get('/slow/events').expect(200);
    expect(response.text.match(/^data: tick \d$/gm)).toEqual([
      'data: tick 0',
      'data: tick 1',
      'data: tick 2',
    ]);

    const lines = await waitForRequests(sink);

    expect(metricsNamed(lines)).toEqual(
      requestPair(
        requestTags({
          controller: 'SlowStreamController',
          handler: 'events',
          route: '/slow/events',
          status: 200,
        }),
      ),
    );
    expect(wallValue(lines)).toBeGreaterThanOrEqual(STREAMED_AT_LEAST_MS);
  });

  it('reports 499 when the client goes away before the handler answers', async () => {
    await app!.listen(0, '127.0.0.1');
    const { port } = app!.getHttpServer().address() as AddressInfo;
    const client = httpRequest({ host: '127.0.0.1', port, path: '/gated', agent: false });
    const clientError = new Promise<Error>((resolve) => client.on('error', resolve));
    client.end();

    await app!.get(HandlerGate).started;
    client.destroy();
    await clientError;

    const tags = requestTags({
      controller: 'GatedController',
      handler: 'wait',
      route: '/gated',
      status: 499,
    });
    await waitForRequests(sink, 1, { tags });
    // The handler answering afterwards must not add a second measurement.
    app!.get(HandlerGate).release();

    expect(metricsNamed(await closeAndDrain(app!, sink))).toEqual(requestPair(tags));
  });
});
