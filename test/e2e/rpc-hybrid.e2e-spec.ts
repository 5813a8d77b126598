import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { APP_INTERCEPTOR } from '@nestjs/core';
import request from 'supertest';
import { StatsdInterceptor } from '../../lib';
import { PingController } from '../fixtures/ping.controller';
import { useAppUnderTest } from '../fixtures/app-under-test';
import { contextSinkOptions, drained, tagSetsOf, valuesOf } from '../fixtures/context-metrics';
import { createApp } from '../fixtures/http-app';
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
    const run = useAppUnderTest<INestApplication, ClientProxy>();
    let intercept: jest.SpyInstance;

    beforeEach(() => {
      intercept = jest.spyOn(StatsdInterceptor.prototype, 'intercept');
    });

    afterEach(() => {
      intercept.mockRestore();
    });

    /** Builds the app the way `main.ts` does: connect, start the microservices, then init. */
    async function startHybrid(
      wiring: Wiring,
    ): Promise<{ rpc: ClientProxy; microservice: INestMicroservice }> {
      const globalInterceptor = wiring.endsWith('APP_INTERCEPTOR')
        ? [{ provide: APP_INTERCEPTOR, useExisting: StatsdInterceptor }]
        : [];
      let microservice!: INestMicroservice;
      run.app = await createApp({
        adapter,
        imports: [rpcAppModule(contextSinkOptions(run.sink))],
        controllers: [PingController],
        providers: globalInterceptor,
        // Nest builds a connected microservice's handlers right here, with the config it has now.
        configure: async (app) => {
          microservice = app.connectMicroservice(TCP_ON_ANY_PORT, {
            inheritAppConfig: wiring.startsWith('inheritAppConfig'),
          });
          await app.startAllMicroservices();
        },
      });
      run.client = await tcpClient(tcpPortOf(microservice));
      return { rpc: run.client, microservice };
    }

    /** One message and one HTTP request, then everything the app sent. */
    async function exercise(wiring: Wiring): Promise<readonly string[]> {
      const { rpc } = await startHybrid(wiring);
      await expect(ask(rpc, 'sum', [2, 3])).resolves.toBe(5);
      await request(run.app!.getHttpServer()).get('/ping').expect(200);
      return run.stopAndCollect();
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
      const lines = await run.stopAndCollect();

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
    let app: INestApplication | undefined;
    try {
      app = await createApp({
        adapter,
        imports: [rpcAppModule(contextSinkOptions(sink))],
        controllers: [PingController],
      });

      await request(app.getHttpServer()).get('/ping').expect(200);
      await app.close();
      const lines = await drained(sink);

      expect(valuesOf(lines, HTTP)).toHaveLength(1);
      expect(intercept).not.toHaveBeenCalled();
    } finally {
      intercept.mockRestore();
      await app?.close();
      await sink.close();
    }
  });
});
