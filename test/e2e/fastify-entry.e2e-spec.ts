import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import { createApp } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  USERS_FIND_ONE_TAGS,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

/**
 * Requests that reach Fastify without its main server's own `request` listener, which the
 * measurement wraps: `inject()`, and a server whose listener someone else replaced (as socket.io
 * does). They are measured from Fastify's `onRequest` hook instead.
 */
describe('Fastify requests that bypass the wrapped server listener', () => {
  const run = useAppUnderTest<INestApplication>();

  it('measures requests sent with inject()', async () => {
    run.app = await createApp({
      adapter: 'fastify',
      statsd: sinkOptions(run.sink),
      controllers: [UsersController],
    });
    const fastify = run.app.getHttpAdapter().getInstance() as {
      inject(options: { method: string; url: string }): Promise<{ statusCode: number }>;
    };

    const response = await fastify.inject({ method: 'GET', url: '/users/7' });

    expect(response.statusCode).toBe(200);
    expect(metricsNamed(await waitForRequests(run.sink))).toEqual(requestPair(USERS_FIND_ONE_TAGS));
  });

  it("measures requests once another library wrapped the server's listener", async () => {
    run.app = await createApp({
      adapter: 'fastify',
      statsd: sinkOptions(run.sink),
      controllers: [UsersController],
      // Runs before the module is configured, as a gateway's engine.io attaches before it.
      configure: (nest) => {
        const server = nest.getHttpServer() as Server;
        const fastifyListeners = server.listeners('request');
        server.removeAllListeners('request');
        server.on('request', (req, res) => {
          for (const listener of fastifyListeners) listener.call(server, req, res);
        });
      },
    });

    await request(run.app.getHttpServer()).get('/users/7').expect(200);

    expect(metricsNamed(await waitForRequests(run.sink))).toEqual(requestPair(USERS_FIND_ONE_TAGS));
  });

  it("names a route registered on Fastify itself (not a Nest handler, like Apollo's) by its template", async () => {
    run.app = await createApp({
      adapter: 'fastify',
      statsd: sinkOptions(run.sink),
      controllers: [UsersController],
      configure: (nest) => {
        const fastify = nest.getHttpAdapter().getInstance() as {
          get(path: string, handler: () => string): unknown;
        };
        fastify.get('/native/:id', () => 'native');
      },
    });

    await request(run.app.getHttpServer()).get('/native/42').expect(200, 'native');

    expect(metricsNamed(await waitForRequests(run.sink))).toEqual(
      requestPair(requestTags({ route: '/native/:id', status: 200 })),
    );
  });
});
