import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { HealthController, UsersController } from '../fixtures/demo.controller';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

describe.each(ADAPTERS)('request metrics per status (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  beforeEach(async () => {
    run.app = await createApp({
      adapter,
      statsd: sinkOptions(run.sink),
      controllers: [UsersController, HealthController],
    });
  });

  const users = { controller: 'UsersController', route: '/users/:id' };

  it.each([
    ['a handled GET', 'get', '/users/12', 200, { ...users, handler: 'findOne' }],
    [
      'an @HttpCode(202) POST',
      'post',
      '/users',
      202,
      { ...users, route: '/users', method: 'POST', handler: 'create' },
    ],
    [
      'a ParseIntPipe rejection',
      'get',
      '/users/abc',
      400,
      { ...users, handler: 'findOne', error: 'BadRequestException' },
    ],
    [
      'an async BadRequestException',
      'get',
      '/users/1/bad',
      400,
      { ...users, route: '/users/:id/bad', handler: 'bad', error: 'BadRequestException' },
    ],
    [
      'a custom ConflictException',
      'get',
      '/users/1/conflict',
      409,
      { ...users, route: '/users/:id/conflict', handler: 'conflict', error: 'OrderConflictError' },
    ],
    [
      'a plain Error',
      'get',
      '/users/1/crash',
      500,
      { ...users, route: '/users/:id/crash', handler: 'crash', error: 'Error' },
    ],
    [
      'a @Redirect',
      'get',
      '/users/1/legacy',
      307,
      { ...users, route: '/users/:id/legacy', handler: 'legacy' },
    ],
    [
      'a guard rejection',
      'get',
      '/users/1/denied',
      403,
      { ...users, route: '/users/:id/denied', handler: 'denied', error: 'ForbiddenException' },
    ],
    [
      'a StreamableFile',
      'get',
      '/users/1/file',
      200,
      { ...users, route: '/users/:id/file', handler: 'file' },
    ],
    [
      'an SSE stream',
      'get',
      '/users/1/events',
      200,
      { ...users, route: '/users/:id/events', handler: 'events' },
    ],
    [
      'an unmatched route',
      'get',
      '/nowhere/12345',
      404,
      { route: 'unmatched', error: 'NotFoundException' },
    ],
  ] as const)('reports %s with its status and tags', async (_case, method, path, status, tags) => {
    await request(run.app!.getHttpServer())[method](path).expect(status);

    const lines = await waitForRequests(run.sink);

    expect(metricsNamed(lines)).toEqual(requestPair(requestTags({ ...tags, status })));
  });
});
