import { VersioningType, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import {
  AuthorsController,
  BooksController,
  VersionedUsersController,
} from '../fixtures/http-controllers';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

describe.each(ADAPTERS)('route tag (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  it('carries the route template, never the requested URL', async () => {
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: [UsersController],
    });

    await request(run.app.getHttpServer()).get('/users/12345').expect(200);

    const lines = await waitForRequests(run.sink);
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
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: [VersionedUsersController],
      configure: (nest) => {
        nest.setGlobalPrefix('api');
        nest.enableVersioning({ type: VersioningType.URI });
      },
    });

    await request(run.app.getHttpServer()).get('/api/v1/users/12345').expect(200);

    const lines = await waitForRequests(run.sink);
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
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: [UsersController],
      configure: (nest) => nest.setGlobalPrefix('api'),
    });

    await request(run.app.getHttpServer()).get('/api/users/abc').expect(400);

    const lines = await waitForRequests(run.sink);
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

  it('names the controller each request went to, though the method is one function', async () => {
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: [BooksController, AuthorsController],
    });

    await request(run.app.getHttpServer()).get('/books/1').expect(200);
    await request(run.app.getHttpServer()).get('/authors/2').expect(200);

    const lines = await waitForRequests(run.sink, 2);
    expect(metricsNamed(lines)).toEqual(
      expect.arrayContaining([
        ...requestPair(
          requestTags({
            controller: 'BooksController',
            handler: 'findOne',
            route: '/books/:id',
            status: 200,
          }),
        ),
        ...requestPair(
          requestTags({
            controller: 'AuthorsController',
            handler: 'findOne',
            route: '/authors/:id',
            status: 200,
          }),
        ),
      ]),
    );
  });
});
