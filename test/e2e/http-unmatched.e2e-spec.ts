import { Controller, Get, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ADAPTERS, createApp } from '../fixtures/http-app';
import {
  metricsNamed,
  requestPair,
  requestTags,
  sinkOptions,
  waitForRequests,
} from '../fixtures/request-metrics';
import { useAppUnderTest } from '../fixtures/app-under-test';

@Controller('items')
class ItemsController {
  @Get(':id')
  findOne(): { ok: true } {
    return { ok: true };
  }
}

function withoutError(tags: Record<string, string>): Record<string, string> {
  const { error: _error, ...rest } = tags;
  return rest;
}

/**
 * A request that matches no route reads `route:unmatched` on every NestJS version (10, 11, 12:
 * 12.5+ answers it from a catch-all route of its own on Express), adapter and global-prefix
 * setting. In the compat subset, so it runs against each major.
 */
describe.each(ADAPTERS)('requests that match no route (%s)', (adapter) => {
  const run = useAppUnderTest<INestApplication>();

  const UNMATCHED = requestTags({ route: 'unmatched', status: 404, error: 'NotFoundException' });

  describe.each([
    ['without a global prefix', undefined, ['/nowhere', '/items/1/extra']],
    ['with a global prefix', 'api', ['/api/nowhere', '/outside-the-prefix', '/api/items/1/extra']],
  ] as const)('%s', (_setting, prefix, paths) => {
    beforeEach(async () => {
      run.app = await createApp({
        adapter,
        statsd: sinkOptions(run.sink),
        controllers: [ItemsController],
        configure: (app) => prefix !== undefined && app.setGlobalPrefix(prefix),
      });
    });

    it.each(paths)('tags GET %s as unmatched', async (path) => {
      await request(run.app!.getHttpServer()).get(path).expect(404);

      const metrics = metricsNamed(await waitForRequests(run.sink));
      // Outside the global prefix, NestJS 12.5+ on Express leaves the 404 to Express itself: no
      // Nest exception, so no error tag. Everywhere else Nest throws NotFoundException.
      const thrown = metrics[0]?.tags.error === undefined ? withoutError(UNMATCHED) : UNMATCHED;
      expect(metrics).toEqual(requestPair(thrown));
    });

    it('still tags a matched route with its template', async () => {
      const base = prefix === undefined ? '' : `/${prefix}`;
      await request(run.app!.getHttpServer()).get(`${base}/items/7`).expect(200);

      expect(metricsNamed(await waitForRequests(run.sink))).toEqual(
        requestPair(
          requestTags({
            controller: 'ItemsController',
            handler: 'findOne',
            route: `${base}/items/:id`,
            status: 200,
          }),
        ),
      );
    });
  });
});
