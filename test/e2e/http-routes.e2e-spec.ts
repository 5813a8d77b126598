import { VersioningType, type INestApplication, type Type } from '@nestjs/common';
import request from 'supertest';
import { UsersController } from '../fixtures/demo.controller';
import {
  AuthorsController,
  BooksController,
  HeaderVersionedUsersController,
  RequestScopedController,
  VersionedUsersController,
} from '../fixtures/http-controllers';
import { ADAPTERS, createApp, type AppSpec } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

/** One request to an app and the tags its pair of metrics must carry. */
interface RouteCase {
  name: string;
  controllers: Type[];
  configure?: AppSpec['configure'];
  path: string;
  headers?: Record<string, string>;
  status: number;
  tags: { controller: string; route: string; error?: string };
}

const CASES: RouteCase[] = [
  {
    name: 'carries the route template, never the requested URL',
    controllers: [UsersController],
    path: '/users/12345',
    status: 200,
    tags: { controller: 'UsersController', route: '/users/:id' },
  },
  {
    name: 'includes the global prefix and the URI version',
    controllers: [VersionedUsersController],
    configure: (nest) => {
      nest.setGlobalPrefix('api');
      nest.enableVersioning({ type: VersioningType.URI });
    },
    path: '/api/v1/users/12345',
    status: 200,
    tags: { controller: 'VersionedUsersController', route: '/api/v1/users/:id' },
  },
  {
    name: 'includes the global prefix on a failing request',
    controllers: [UsersController],
    configure: (nest) => nest.setGlobalPrefix('api'),
    path: '/api/users/abc',
    status: 400,
    tags: { controller: 'UsersController', route: '/api/users/:id', error: 'BadRequestException' },
  },
  {
    // Both versions share one path; Nest picks one per request, after the hooks started.
    name: 'names the handler Nest picked by a version header',
    controllers: [VersionedUsersController, HeaderVersionedUsersController],
    configure: (nest) => nest.enableVersioning({ type: VersioningType.HEADER, header: 'x-api-version' }),
    path: '/users/7',
    headers: { 'x-api-version': '2' },
    status: 200,
    tags: { controller: 'HeaderVersionedUsersController', route: '/users/:id' },
  },
  {
    // Nest builds a request-scoped controller's route function anew for every request.
    name: 'names the handler of a request-scoped controller',
    controllers: [RequestScopedController],
    path: '/scoped/3',
    status: 200,
    tags: { controller: 'RequestScopedController', route: '/scoped/:id' },
  },
];

describe.each(ADAPTERS)('route tag (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  it.each(CASES.map((routeCase) => [routeCase.name, routeCase] as const))('%s', async (_name, routeCase) => {
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: routeCase.controllers,
      configure: routeCase.configure,
    });

    await request(run.app.getHttpServer())
      .get(routeCase.path)
      .set(routeCase.headers ?? {})
      .expect(routeCase.status);

    const lines = await waitForRequests(run.sink);
    expect(metricsNamed(lines)).toEqual(
      requestPair(requestTags({ ...routeCase.tags, handler: 'findOne', status: routeCase.status })),
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
      expect.arrayContaining(
        [
          ['BooksController', '/books/:id'],
          ['AuthorsController', '/authors/:id'],
        ].flatMap(([controller, route]) =>
          requestPair(requestTags({ controller, handler: 'findOne', route, status: 200 })),
        ),
      ),
    );
  });
});
