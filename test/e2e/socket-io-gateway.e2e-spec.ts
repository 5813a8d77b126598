import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { useAppUnderTest } from '../fixtures/app-under-test';
import {
  contextSinkOptions,
  expectOnePair,
  tagSetsOf,
  valuesOf,
} from '../fixtures/context-metrics';
import { SocketIoClient, startSocketIoApp } from '../fixtures/socket-io-app';

const WS = 'app.ws.message';
const HTTP = 'app.http.request';

describe.each(['express', 'fastify'] as const)(
  'socket.io gateway metrics (platform-socket.io on %s, @UseInterceptors(StatsdInterceptor) on the gateway)',
  (adapter) => {
    const run = useAppUnderTest<INestApplication, SocketIoClient>();

    async function connect(): Promise<SocketIoClient> {
      run.app = await startSocketIoApp(adapter, contextSinkOptions(run.sink));
      run.client = await SocketIoClient.connect(run.app, '/chat');
      return run.client;
    }

    it('sends one ws.message pair per acknowledged message, tagged gateway, handler, event and outcome', async () => {
      const client = await connect();

      await expect(client.request('echo', 'hi')).resolves.toBe('hi');
      const lines = await run.stopAndCollect();

      expectOnePair(lines, WS, {
        env: 'test',
        gateway: 'RoomGateway',
        handler: 'echo',
        event: 'echo',
        outcome: 'success',
      });
    });

    it('measures async handlers and tags a WsException with outcome:error', async () => {
      const client = await connect();

      await expect(client.request('shout', 'hi')).resolves.toBe('HI');
      await expect(client.failure('fail', null)).resolves.toEqual(
        expect.objectContaining({ status: 'error', message: 'not allowed' }),
      );
      const lines = await run.stopAndCollect();

      expect(tagSetsOf(lines, WS).map((tags) => [tags.handler, tags.outcome])).toEqual([
        ['fail', 'error'],
        ['shout', 'success'],
      ]);
    });

    it("measures the app's HTTP requests once each, not socket.io's handshake and polling requests on the same server", async () => {
      run.app = await startSocketIoApp(adapter, contextSinkOptions(run.sink));
      const urls: string[] = [];
      run.app
        .getHttpServer()
        .prependListener('request', (req: { url: string }) => urls.push(req.url));
      run.client = await SocketIoClient.connect(run.app, '/chat');
      await run.client.request('echo', 'x');
      // The point of the test: socket.io's requests did reach the server the app's routes are on.
      expect(urls.filter((url) => url.startsWith('/socket.io/')).length).toBeGreaterThan(0);

      await request(run.app!.getHttpServer()).get('/ping').expect(200);
      await request(run.app!.getHttpServer()).get('/ping').expect(200);
      const lines = await run.stopAndCollect();

      expect(tagSetsOf(lines, HTTP)).toEqual([
        expect.objectContaining({ route: '/ping', method: 'GET', status: '200' }),
      ]);
      expect(valuesOf(lines, HTTP)).toHaveLength(2);
      expect(valuesOf(lines, `${HTTP}.cpu`)).toHaveLength(2);
      expect(valuesOf(lines, WS)).toHaveLength(1);
    });
  },
);
