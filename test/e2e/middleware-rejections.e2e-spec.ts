import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  UnauthorizedException,
  UseInterceptors,
  type INestApplication,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { StatsdInterceptor, StatsdModule, type StatsdModuleOptions } from '../../lib';
import { useAppUnderTest } from '../fixtures/app-under-test';
import { contextSinkOptions, metricsIn, valuesOf } from '../fixtures/context-metrics';
import { createApp } from '../fixtures/http-app';

const HTTP = 'app.http.request';
const HTTP_CPU = 'app.http.request.cpu';
const RAW_ID = '8472913';

/** Answers 401 itself, before routing, unless the request carries the right token. */
@Injectable()
class TokenMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (req.headers.authorization === 'Bearer ok') return next();
    res.statusCode = 401;
    res.end('no token');
  }
}

/** Throws instead of answering: Nest's exception handling turns it into the 401. */
@Injectable()
class ThrowingMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    if (req.headers.authorization === 'Bearer ok') return next();
    throw new UnauthorizedException();
  }
}

@Controller('secure')
class SecureController {
  @Get(':id')
  find(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Controller('guarded')
@UseInterceptors(StatsdInterceptor)
class InterceptedSecureController {
  @Get(':id')
  find(@Param('id') id: string): { id: string } {
    return { id };
  }
}

function appModule(statsd: StatsdModuleOptions, providers: Provider[]) {
  @Module({
    imports: [StatsdModule.forRoot(statsd)],
    controllers: [SecureController, InterceptedSecureController],
    providers,
  })
  class MiddlewareAppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(TokenMiddleware).forRoutes(SecureController, InterceptedSecureController);
      consumer.apply(ThrowingMiddleware).forRoutes('secure/:id/strict');
    }
  }
  return MiddlewareAppModule;
}

/** How StatsdInterceptor is present besides the default hook-based measurement. */
const WITH_INTERCEPTOR = {
  'hooks only': [],
  'hooks + APP_INTERCEPTOR': [{ provide: APP_INTERCEPTOR, useExisting: StatsdInterceptor }],
} as const;

describe.each(['express', 'fastify'] as const)(
  'requests rejected by middleware (%s)',
  (adapter) => {
    const run = useAppUnderTest<INestApplication>();

    async function start(
      providers: readonly Provider[],
      options: Partial<StatsdModuleOptions> = {},
    ): Promise<INestApplication> {
      run.app = await createApp({
        adapter,
        imports: [appModule({ ...contextSinkOptions(run.sink), ...options }, [...providers])],
      });
      return run.app;
    }

    describe.each(Object.entries(WITH_INTERCEPTOR))('%s', (_wiring, providers) => {
      it('counts a 401 answered by middleware once, with status 401 and never the raw URL as route', async () => {
        await start(providers);

        await request(run.app!.getHttpServer()).get(`/secure/${RAW_ID}`).expect(401);
        const lines = await run.stopAndCollect();

        const [metric, ...others] = metricsIn(lines).filter((line) => line.name === HTTP);
        expect(others).toEqual([]);
        expect(metric!.values).toHaveLength(1);
        expect(metric!.tags).toMatchObject({ status: '401', status_class: '4xx', method: 'GET' });
        expect(metric!.tags.route).toEqual(expect.any(String));
        expect(lines.join('\n')).not.toContain(RAW_ID);
        expect(valuesOf(lines, HTTP_CPU)).toHaveLength(1);
      });

      it('counts a 401 thrown by middleware once, with the exception class', async () => {
        await start(providers);

        await request(run.app!.getHttpServer()).get(`/secure/${RAW_ID}/strict`).expect(401);
        const lines = await run.stopAndCollect();

        expect(valuesOf(lines, HTTP)).toHaveLength(1);
        expect(
          valuesOf(lines, HTTP, { status: '401', error: 'UnauthorizedException' }),
        ).toHaveLength(1);
        expect(lines.join('\n')).not.toContain(RAW_ID);
      });

      it('counts a request that passes the middleware once, with its handler tags', async () => {
        await start(providers);

        await request(run.app!.getHttpServer())
          .get(`/secure/${RAW_ID}`)
          .set('authorization', 'Bearer ok')
          .expect(200);
        const lines = await run.stopAndCollect();

        expect(valuesOf(lines, HTTP)).toHaveLength(1);
        expect(
          valuesOf(lines, HTTP, {
            status: '200',
            controller: 'SecureController',
            handler: 'find',
            route: '/secure/:id',
          }),
        ).toHaveLength(1);
      });

      it('counts a rejected request to a controller with @UseInterceptors(StatsdInterceptor) once', async () => {
        await start(providers);

        await request(run.app!.getHttpServer()).get(`/guarded/${RAW_ID}`).expect(401);
        await request(run.app!.getHttpServer())
          .get(`/guarded/${RAW_ID}`)
          .set('authorization', 'Bearer ok')
          .expect(200);
        const lines = await run.stopAndCollect();

        expect(valuesOf(lines, HTTP)).toHaveLength(2);
        expect(valuesOf(lines, HTTP, { status: '401' })).toHaveLength(1);
        expect(valuesOf(lines, HTTP, { status: '200', handler: 'find' })).toHaveLength(1);
        expect(valuesOf(lines, HTTP_CPU)).toHaveLength(2);
      });
    });

    it("reports in http.mode 'interceptor' what the interceptor can see: a middleware 401 never reaches it", async () => {
      await start([], { http: { mode: 'interceptor' } });

      await request(run.app!.getHttpServer()).get(`/secure/${RAW_ID}`).expect(401);
      await request(run.app!.getHttpServer())
        .get(`/secure/${RAW_ID}`)
        .set('authorization', 'Bearer ok')
        .expect(200);
      const lines = await run.stopAndCollect();

      expect(valuesOf(lines, HTTP, { status: '200' })).toHaveLength(1);
      expect(valuesOf(lines, HTTP, { status: '401' })).toEqual([]);
    });
  },
);
