/**
 * One benchmark server: the same small Nest app, instrumented by one variant.
 *
 *   node dist/http/server.js --adapter express|fastify --variant <v> --handler hello|realistic \
 *     --port N [--statsd-port 8125] [--aux-port N+1]
 *
 * Driven by the runner over IPC (see protocol.ts); standalone, SIGUSR2 prints the CPU time and
 * requests since the previous SIGUSR2 as one JSON line.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { num, oneOf, parseArgs } from '../common/args';
import { handlerSetup, type HandlerName, SERVER_HANDLERS } from './app/controllers';
import {
  ADAPTERS,
  type AdapterName,
  VARIANTS,
  type VariantName,
  type VariantSetup,
} from './app/variant.types';
import { loadVariant } from './app/variants';
import type { MemorySample, ServerCommand, ServerMessage } from './protocol';

@Module({})
class BenchAppModule {}

async function createApp(adapter: AdapterName, module: DynamicModule): Promise<INestApplication> {
  const logger = ['error', 'warn'] as const;
  if (adapter === 'express') return NestFactory.create(module, { logger: [...logger] });
  // Loaded only for Fastify runs, so an Express run never pays for it.
  const { FastifyAdapter } =
    require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify');
  return NestFactory.create(module, new FastifyAdapter(), { logger: [...logger] });
}

function memory(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const adapter = oneOf(args, 'adapter', ADAPTERS, 'express');
  const variant = oneOf<VariantName>(args, 'variant', VARIANTS, 'baseline');
  const handler = oneOf<HandlerName>(args, 'handler', SERVER_HANDLERS, 'hello');
  const port = num(args, 'port', 3000);
  const ctx = {
    adapter,
    statsdPort: num(args, 'statsd-port', 8125),
    auxPort: num(args, 'aux-port', port + 1),
  };

  const setup: VariantSetup = loadVariant(variant, ctx);
  await setup.beforeCreate?.();
  const routes = handlerSetup(handler);
  const app = await createApp(adapter, {
    module: BenchAppModule,
    imports: setup.imports ?? [],
    controllers: routes.controllers,
    providers: [...routes.providers, ...(setup.providers ?? [])],
  });

  // Counts requests at the HTTP server, below Nest: the same cost in every variant.
  let requests = 0;
  app.getHttpServer().on('request', () => {
    requests++;
  });
  await app.listen(port, '127.0.0.1');
  setup.afterListen?.(() => requests);

  let markCpu = process.cpuUsage();
  let markRequests = 0;
  let markAt = performance.now();
  const mark = () => {
    markCpu = process.cpuUsage();
    markRequests = requests;
    markAt = performance.now();
  };

  const send = (message: ServerMessage) => process.send?.(message);
  process.on('message', (raw: ServerCommand) => {
    void (async () => {
      switch (raw.cmd) {
        case 'mark':
          mark();
          send({ type: 'sample', id: raw.id, totalRequests: requests, ...memory() });
          break;
        case 'report': {
          const cpu = process.cpuUsage(markCpu);
          send({
            type: 'report',
            id: raw.id,
            cpuUserUs: cpu.user,
            cpuSystemUs: cpu.system,
            requests: requests - markRequests,
            elapsedMs: performance.now() - markAt,
            maxRssKb: process.resourceUsage().maxRSS,
            ...memory(),
          });
          break;
        }
        case 'flush':
          await setup.flush?.(app);
          send({
            type: 'flushed',
            id: raw.id,
            totalRequests: requests,
            recorded: await setup.recorded?.(app),
            clientStats: setup.clientStats?.(app),
          });
          break;
        case 'sample':
          send({ type: 'sample', id: raw.id, totalRequests: requests, ...memory() });
          break;
      }
    })().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });

  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage(markCpu);
    const line = {
      variant,
      adapter,
      handler,
      requests: requests - markRequests,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      elapsedMs: performance.now() - markAt,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    mark();
  });

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), 3000).unref();
    void app
      .close()
      .then(() => setup.shutdown?.())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown); // the runner went away

  send({ type: 'ready', pid: process.pid, port, wirePerRequest: setup.wirePerRequest });
  if (!process.send)
    process.stdout.write(
      `listening on http://127.0.0.1:${port} (${adapter}, ${variant}, ${handler})\n`,
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
