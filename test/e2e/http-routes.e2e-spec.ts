import { VersioningType, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import { AuthorsController, BooksController, VersionedUsersController } from '../fixtures/http-controllers';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { UdpCollector } from '../utils/udp-collector';

describe.each(ADAPTERS)('route tag (%s)', (adapter) => {
  let sink: UdpCollector;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    sink = await UdpCollector.start();
  });

  afterEach(async () => {
    await app?.close();
    await sink.close();
  });

  it('carries the route template, never the requested URL', async () => {
    app = await createApp({ adapter, statsd: sinkOptions(sink), controllers: [UsersController] });

    await request(app.getHttpServer()).get('/users/12345').expect(200);

    const lines = await waitForRequests(sink);
    expect(lines.join('\n')).not.toContain('12345');
    expect(metricsNamed(lines)).toEqual(
      requestPair(
        requestTags({
          controller: 'UsersController',
          handler: 'findOne',
          route: '/users/:id',
          status: 200,
        }),
      ),
    );
  });

  it('includes the global prefix and the URI version', async () => {
    app = await createApp({
      adapter,
      statsd: sinkOptions(sink),
      controllers: [VersionedUsersController],
      configure: (nest) => {
        nest.setGlobalPrefix('api');
        nest.enableVersioning({ type: VersioningType.URI });
      },
    });

    await request(app.getHttpServer()).get('/api/v1/users/12345').expect(200);

    const lines = await waitForRequests(sink);
    expect(metricsNamed(lines)).toEqual(
      requestPair(
        requestTags({
          controller: 'VersionedUsersController',
          handler: 'findOne',
          route: '/api/v1/users/:id',
          status: 200,
        }),
      ),
    );
  });

  it('includes the global prefix on a failing request', async () => {
    app = await createApp({
      adapter,
      statsd: sinkOptions(sink),
      controllers: [UsersController],
      configure: (nest) => nest.setGlobalPrefix('api'),
    });

    await request(app.getHttpServer()).get('/api/users/abc').expect(400);

    const lines = await waitForRequests(sink);
    expect(metricsNamed(lines)).toEqual(
      requestPair(
        requestTags({
          controller: 'UsersController',
          handler: 'findOne',
          route: '/api/users/:id',
          status: 400,
          error: 'BadRequestException',
        }),
      ),
    );
  });
});

describe.each(ADAPTERS)('inherited route methods (%s)', (adapter) => {
  let sink: UdpCollector;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    sink = await UdpCollector.start();
  });

  afterEach(async () => {
    await app?.close();
    await sink.close();
  });

  it('names the controller each request went to, though the method is one function', async () => {
    app = await createApp({ adapter, statsd: sinkOptions(sink), controllers: [BooksController, AuthorsController] });

    await request(app.getHttpServer()).get('/books/1').expect(200);
    await request(app.getHttpServer()).get('/authors/2').expect(200);

    const lines = await waitForRequests(sink, 2);
    expect(metricsNamed(lines)).toEqual(
      expect.arrayContaining([
        ...requestPair(requestTags({ controller: 'BooksController', handler: 'findOne', route: '/books/:id', status: 200 })),
        ...requestPair(requestTags({ controller: 'AuthorsController', handler: 'findOne', route: '/authors/:id', status: 200 })),
      ]),
    );
  });
});
