import type { INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import type { StatsdModuleOptions } from '../../lib';
import { useAppUnderTest } from '../fixtures/app-under-test';
import {
  contextSinkOptions,
  expectOnePair,
  silentLogger,
  tagSetsOf,
  typesOf,
  valuesOf,
  waitForValues,
} from '../fixtures/context-metrics';
import {
  ask,
  EventLog,
  rpcAppModule,
  startMicroservice,
  TCP_ON_ANY_PORT,
  tcpClient,
  tcpPortOf,
} from '../fixtures/rpc-app';

const RPC = 'app.rpc.request';
const RPC_CPU = 'app.rpc.request.cpu';

describe('microservice metrics (TCP, NestFactory.createMicroservice, no user setup)', () => {
  const run = useAppUnderTest<INestMicroservice, ClientProxy>();

  async function start(options: Partial<StatsdModuleOptions> = {}): Promise<ClientProxy> {
    run.app = await startMicroservice({ ...contextSinkOptions(run.sink), ...options });
    run.client = await tcpClient(tcpPortOf(run.app));
    return run.client;
  }

  it('sends one rpc.request pair per message, tagged with pattern, controller, handler, kind and outcome', async () => {
    const rpc = await start();

    await expect(ask(rpc, 'sum', [1, 2, 3])).resolves.toBe(6);
    const lines = await run.stopAndCollect();

    const tags = {
      env: 'test',
      controller: 'MathController',
      handler: 'sum',
      pattern: 'sum',
      kind: 'message',
      outcome: 'success',
    };
    expectOnePair(lines, RPC, tags);
  });

  it('sends rpc.request as distributions with metricTypes.rpc', async () => {
    const rpc = await start({ metricTypes: { rpc: 'distribution', http: 'histogram' } });

    await expect(ask(rpc, 'sum', [1, 2])).resolves.toBe(3);
    const lines = await run.stopAndCollect();

    expect(typesOf(lines, RPC)).toEqual(['d']);
    expect(typesOf(lines, RPC_CPU)).toEqual(['d']);
  });

  it('tags an object pattern as JSON with sorted keys, sanitized for the wire', async () => {
    const rpc = await start();

    await expect(ask(rpc, { version: 2, cmd: 'max' }, [4, 9, 1])).resolves.toBe(9);
    const lines = await waitForValues(run.sink, RPC);

    // The DogStatsD sanitizer turns the tag separator ',' into '_'.
    expect(tagSetsOf(lines, RPC)).toEqual([
      expect.objectContaining({
        handler: 'max',
        pattern: '{"cmd":"max"_"version":2}',
        kind: 'message',
        outcome: 'success',
      }),
    ]);
  });

  it('tags an event handler with kind:event', async () => {
    const rpc = await start();
    const handled = run.app!.get(EventLog).next();

    await lastValueFrom(rpc.emit('user.created', { id: 1 }), { defaultValue: undefined });
    await handled;
    const lines = await waitForValues(run.sink, RPC);

    expect(tagSetsOf(lines, RPC)).toEqual([
      {
        env: 'test',
        controller: 'MathController',
        handler: 'userCreated',
        pattern: 'user.created',
        kind: 'event',
        outcome: 'success',
      },
    ]);
  });

  it('tags a handler that throws an RpcException with outcome:error', async () => {
    const rpc = await start();

    await expect(ask(rpc, 'divide', [1, 0])).rejects.toMatchObject({ message: 'division by zero' });
    const lines = await waitForValues(run.sink, RPC);

    expect(tagSetsOf(lines, RPC)).toEqual([
      expect.objectContaining({ handler: 'divide', outcome: 'error' }),
    ]);
  });

  it('counts every message: three messages give three values of each metric', async () => {
    const rpc = await start();

    await Promise.all([ask(rpc, 'sum', [1]), ask(rpc, 'sum', [2]), ask(rpc, 'sum', [3])]);
    const lines = await run.stopAndCollect();

    expect(valuesOf(lines, RPC, { handler: 'sum' })).toHaveLength(3);
    expect(valuesOf(lines, RPC_CPU, { handler: 'sum' })).toHaveLength(3);
  });

  it('measures a handler once when it also applies StatsdInterceptor with @UseInterceptors()', async () => {
    const rpc = await start();

    await expect(ask(rpc, 'explicit', {})).resolves.toBe('ok');
    const lines = await run.stopAndCollect();

    expect(valuesOf(lines, RPC)).toHaveLength(1);
    expect(valuesOf(lines, RPC_CPU)).toHaveLength(1);
  });

  it('measures a message once when the module is imported twice', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        rpcAppModule(contextSinkOptions(run.sink)),
        rpcAppModule(contextSinkOptions(run.sink)),
      ],
    })
      .setLogger(silentLogger)
      .compile();
    run.app = moduleRef.createNestMicroservice({ ...TCP_ON_ANY_PORT, logger: false });
    await run.app.listen();
    run.client = await tcpClient(tcpPortOf(run.app));

    await ask(run.client, 'sum', [1]);
    const lines = await run.stopAndCollect();

    expect(valuesOf(lines, RPC)).toHaveLength(1);
  });

  it('records nothing for a handler marked @SkipMetrics()', async () => {
    const rpc = await start();

    await expect(ask(rpc, 'quiet', {})).resolves.toBe('shh');
    await ask(rpc, 'sum', [1]);
    const lines = await run.stopAndCollect();

    expect(tagSetsOf(lines, RPC).map((tags) => tags.handler)).toEqual(['sum']);
  });

  it('sends no .cpu metric with cpu: false', async () => {
    const rpc = await start({ cpu: false });

    await ask(rpc, 'sum', [1]);
    const lines = await run.stopAndCollect();

    expect(valuesOf(lines, RPC)).toHaveLength(1);
    expect(valuesOf(lines, RPC_CPU)).toEqual([]);
  });

  it('attributes the CPU a handler burns to its message with cpu: attributed', async () => {
    const rpc = await start({ cpu: 'attributed' });

    await ask(rpc, 'burn', 40);
    const lines = await waitForValues(run.sink, RPC, { tags: { handler: 'burn' } });

    const [wall] = valuesOf(lines, RPC, { handler: 'burn' });
    const [cpu] = valuesOf(lines, RPC_CPU, { handler: 'burn' });
    expect(cpu).toBeGreaterThanOrEqual(30);
    expect(cpu).toBeLessThanOrEqual(wall! + 1);
  });

  it('is also automatic for a testing module turned into a microservice with init() before listen()', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [rpcAppModule(contextSinkOptions(run.sink))],
    })
      .setLogger(silentLogger)
      .compile();
    run.app = moduleRef.createNestMicroservice({ ...TCP_ON_ANY_PORT, logger: false });
    await run.app.init();
    await run.app.listen();
    run.client = await tcpClient(tcpPortOf(run.app));

    await ask(run.client, 'sum', [5]);
    const lines = await waitForValues(run.sink, RPC);

    expect(tagSetsOf(lines, RPC)).toEqual([
      expect.objectContaining({ handler: 'sum', outcome: 'success' }),
    ]);
  });
});
