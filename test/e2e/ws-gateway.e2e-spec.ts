import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StatsdInterceptor, type StatsdModuleOptions } from '../../lib';
import { useAppUnderTest } from '../fixtures/app-under-test';
import {
  contextSinkOptions,
  expectOnePair,
  tagSetsOf,
  typesOf,
  valuesOf,
  waitForValues,
} from '../fixtures/context-metrics';
import { startWsApp, WsClient } from '../fixtures/ws-app';

const WS = 'app.ws.message';
const WS_CPU = 'app.ws.message.cpu';

describe.each(['express', 'fastify'] as const)(
  'WebSocket gateway metrics (platform-ws on %s, @UseInterceptors(StatsdInterceptor) on the gateway)',
  (adapter) => {
    const run = useAppUnderTest<INestApplication, WsClient>();

    async function connect(
      path = '/ws',
      options: Partial<StatsdModuleOptions> = {},
    ): Promise<WsClient> {
      run.app = await startWsApp(adapter, { ...contextSinkOptions(run.sink), ...options });
      run.client = await WsClient.connect(run.app, path);
      return run.client;
    }

    it('sends ws.message as histograms with metricTypes.ws', async () => {
      const ws = await connect('/ws', { metricTypes: { ws: 'histogram', rpc: 'distribution' } });

      await expect(ws.request('echo', 'hi')).resolves.toBe('hi');
      const lines = await run.stopAndCollect();

      expect(typesOf(lines, WS)).toEqual(['h']);
      expect(typesOf(lines, WS_CPU)).toEqual(['h']);
    });

    it('sends one ws.message pair per handled message, tagged gateway, handler, event and outcome', async () => {
      const ws = await connect();

      await expect(ws.request('echo', 'hi')).resolves.toBe('hi');
      const lines = await run.stopAndCollect();

      const tags = {
        env: 'test',
        gateway: 'ChatGateway',
        handler: 'echo',
        event: 'echo',
        outcome: 'success',
      };
      expectOnePair(lines, WS, tags);
    });

    it('measures async and Observable handlers until they produce their reply', async () => {
      const ws = await connect();

      await expect(ws.request('shout', 'hi')).resolves.toBe('HI');
      await expect(ws.request('count', 3)).resolves.toBe(3);
      const lines = await waitForValues(run.sink, WS, { count: 2 });

      expect(tagSetsOf(lines, WS).map((tags) => [tags.handler, tags.outcome])).toEqual([
        ['count', 'success'],
        ['shout', 'success'],
      ]);
    });

    it('tags a handler that throws a WsException with outcome:error', async () => {
      const ws = await connect();

      ws.send('fail', null);
      const lines = await waitForValues(run.sink, WS);

      expect(tagSetsOf(lines, WS)).toEqual([
        expect.objectContaining({ handler: 'fail', event: 'fail', outcome: 'error' }),
      ]);
    });

    it('counts every message of a connection', async () => {
      const ws = await connect();

      for (const text of ['a', 'b', 'c']) await ws.request('echo', text);
      const lines = await run.stopAndCollect();

      expect(valuesOf(lines, WS, { handler: 'echo' })).toHaveLength(3);
      expect(valuesOf(lines, WS_CPU, { handler: 'echo' })).toHaveLength(3);
    });

    it('measures a message once when the interceptor is on both the gateway and the method', async () => {
      const ws = await connect('/ws-twice');

      await expect(ws.request('hello', null)).resolves.toBe('world');
      const lines = await run.stopAndCollect();

      expect(tagSetsOf(lines, WS)).toEqual([
        expect.objectContaining({ gateway: 'TwiceGateway', handler: 'hello', event: 'hello' }),
      ]);
      expect(valuesOf(lines, WS)).toHaveLength(1);
    });

    it('does not measure a gateway without @UseInterceptors(StatsdInterceptor) (Nest applies no global interceptor to gateways)', async () => {
      const ws = await connect('/ws-plain');

      await expect(ws.request('hello', null)).resolves.toBe('plain');
      const lines = await run.stopAndCollect();

      expect(valuesOf(lines, WS)).toEqual([]);
    });

    it('records nothing for a handler marked @SkipMetrics()', async () => {
      const ws = await connect();

      await ws.request('heartbeat', null);
      await ws.request('echo', 'x');
      const lines = await run.stopAndCollect();

      expect(tagSetsOf(lines, WS).map((tags) => tags.handler)).toEqual(['echo']);
    });

    it('keeps HTTP requests of the same application on the hook path: one pair, no interceptor', async () => {
      const intercept = jest.spyOn(StatsdInterceptor.prototype, 'intercept');
      try {
        const ws = await connect();
        await ws.request('echo', 'x');
        await request(run.app!.getHttpServer()).get('/ping').expect(200);
        const lines = await run.stopAndCollect();

        expect(valuesOf(lines, 'app.http.request')).toHaveLength(1);
        expect(valuesOf(lines, WS)).toHaveLength(1);
        expect(intercept.mock.calls.map(([context]) => context.getType())).toEqual(['ws']);
      } finally {
        intercept.mockRestore();
      }
    });
  },
);
