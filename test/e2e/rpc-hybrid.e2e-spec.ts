import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { StatsdInterceptor } from '../../lib';
import { PingController } from '../fixtures/ping.controller';
import {
  contextSinkOptions,
  drained,
  silentLogger,
  tagSetsOf,
  valuesOf,
} from '../fixtures/context-metrics';
import { ask, rpcAppModule, TCP_ON_ANY_PORT, tcpClient, tcpPortOf } from '../fixtures/rpc-app';
import { UdpCollector } from '../utils/udp-collector';

const RPC = 'app.rpc.request';
const HTTP = 'app.http.request';

/** How the microservice is connected to the HTTP application. */
type Wiring =
  | 'separate config'
  | 'inheritAppConfig'
  | 'separate config + APP_INTERCEPTOR'
  | 'inheritAppConfig + APP_INTERCEPTOR';

describe.each(['express', 'fastify'] as const)(
  'hybrid application (%s): HTTP and a TCP microservice',
  (adapter) => {
    let sink: UdpCollector;
    let app: INestApplication | undefined;
    let client: ClientProxy | undefined;
    let intercept: jest.SpyInstance;

    beforeEach(async () => {
      sink = await UdpCollector.start();
      intercept = jest.spyOn(StatsdInterceptor.prototype, 'intercept');
    });

    afterEach(async () => {
      intercept.mockRestore();
      client?.close();
      await app?.close();
      await sink.close();
    });

    /** Builds the app the way `main.ts` does: connect, start the microservices, then init. */
    async function startHybrid(
      wiring: Wiring,
    ): Promise<{ rpc: ClientProxy; microservice: INestMicroservice }> {
      const globalInterceptor = wiring.endsWith('APP_INTERCEPTOR')
        ? [{ provide: APP_INTERCEPTOR, useExisting: StatsdInterceptor }]
        : [];
      const moduleRef = await Test.createTestingModule({
        imports: [rpcAppModule(contextSinkOptions(sink))],
        controllers: [PingController],
        providers: globalInterceptor,
      })
        .setLogger(silentLogger)
        .compile();
      app =
        adapter === 'fastify'
          ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
          : moduleRef.createNestApplication({ logger: false });
      // Nest builds a connected microservice's handlers right here, with the config it has now.
      const microservice = app.connectMicroservice(TCP_ON_ANY_PORT, {
        inheritAppConfig: wiring.startsWith('inheritAppConfig'),
      });
      await app.startAllMicroservices();
      await app.init();
      if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
      client = await tcpClient(tcpPortOf(microservice));
      return { rpc: client, microservice };
    }

    /** One message and one HTTP request, then everything the app sent. */
    async function exercise(wiring: Wiring): Promise<readonly string[]> {
      const { rpc } = await startHybrid(wiring);
      await expect(ask(rpc, 'sum', [2, 3])).resolves.toBe(5);
      await request(app!.getHttpServer()).get('/ping').expect(200);
      return stopAll();
    }

    async function stopAll(): Promise<readonly string[]> {
      client?.close();
      client = undefined;
      await app!.close();
      app = undefined;
      return drained(sink);
    }

    function httpInterceptCalls(): number {
      return intercept.mock.calls.filter(([context]) => context.getType() === 'http').length;
    }

    it('measures messages automatically with connectMicroservice(…, { inheritAppConfig: true }), HTTP untouched', async () => {
      const lines = await exercise('inheritAppConfig');

      expect(tagSetsOf(lines, RPC)).toEqual([
        expect.objectContaining({
          handler: 'sum',
          pattern: 'sum',
          kind: 'message',
          outcome: 'success',
        }),
      ]);
      expect(valuesOf(lines, RPC)).toHaveLength(1);
      expect(valuesOf(lines, HTTP)).toHaveLength(1);
      expect(httpInterceptCalls()).toBe(0);
    });

    it('counts once with inheritAppConfig plus APP_INTERCEPTOR, but then HTTP requests run the interceptor', async () => {
      const lines = await exercise('inheritAppConfig + APP_INTERCEPTOR');

      expect(valuesOf(lines, RPC)).toHaveLength(1);
      expect(valuesOf(lines, HTTP)).toHaveLength(1);
      expect(valuesOf(lines, `${HTTP}.cpu`)).toHaveLength(1);
      // The shared config made it global for HTTP too: it stays silent there, but its cost is paid.
      expect(httpInterceptCalls()).toBe(1);
    });

    it('does not measure messages of a microservice connected with its own config and no interceptor', async () => {
      const lines = await exercise('separate config');

      expect(valuesOf(lines, RPC)).toEqual([]);
      expect(valuesOf(lines, HTTP)).toHaveLength(1);
    });

    it('measures handlers with @UseInterceptors(StatsdInterceptor) whatever the config', async () => {
      const { rpc } = await startHybrid('separate config');

      await expect(ask(rpc, 'explicit', {})).resolves.toBe('ok');
      await ask(rpc, 'sum', [1]);
      const lines = await stopAll();

      expect(tagSetsOf(lines, RPC).map((tags) => tags.handler)).toEqual(['explicit']);
    });

    it('does not reach a microservice with its own config through APP_INTERCEPTOR, which HTTP requests then pay for', async () => {
      const lines = await exercise('separate config + APP_INTERCEPTOR');

      expect(valuesOf(lines, RPC)).toEqual([]);
      expect(valuesOf(lines, HTTP)).toHaveLength(1);
      expect(httpInterceptCalls()).toBe(1);
    });
  },
);

describe.each(['express', 'fastify'] as const)('HTTP-only application (%s)', (adapter) => {
  it('never runs StatsdInterceptor for HTTP requests (they are measured by adapter hooks)', async () => {
    const sink = await UdpCollector.start();
    const intercept = jest.spyOn(StatsdInterceptor.prototype, 'intercept');
    const moduleRef = await Test.createTestingModule({
      imports: [rpcAppModule(contextSinkOptions(sink))],
      controllers: [PingController],
    })
      .setLogger(silentLogger)
      .compile();
    const app =
      adapter === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
        : moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();

      await request(app.getHttpServer()).get('/ping').expect(200);
      await app.close();
      const lines = await drained(sink);

      expect(valuesOf(lines, HTTP)).toHaveLength(1);
      expect(intercept).not.toHaveBeenCalled();
    } finally {
      intercept.mockRestore();
      await app.close();
      await sink.close();
    }
  });
});
