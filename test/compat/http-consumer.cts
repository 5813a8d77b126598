// A CommonJS app (module: nodenext) on the packed package, as `npm run compat` runs it on each
// NestJS major: for Express and for Fastify, a real HTTP server, two requests (one answered, one
// whose handler throws NotFoundException), and each request timing checked on a local UDP socket.
// nestjs-statsd is imported first, before anything that loads reflect-metadata, as an app's
// module file may do.
import { StatsdModule } from 'nestjs-statsd';
import {
  Controller,
  Get,
  Module,
  NotFoundException,
  Param,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import {
  ADAPTERS,
  PREFIX,
  REQUESTS,
  checkEntry,
  checkRequestLine,
  describeLine,
  listenUdp,
  waitForRequestLine,
  type AdapterName,
} from './http-checks.cjs';

@Controller('compat/items')
class CompatController {
  @Get(':id')
  getItem(@Param('id') id: string): { id: string } {
    if (id === '0') throw new NotFoundException(`no item ${id}`);
    return { id };
  }
}

async function requestMetricOn(adapter: AdapterName): Promise<string> {
  const sink = await listenUdp();
  @Module({
    imports: [
      StatsdModule.forRoot({
        host: '127.0.0.1',
        port: sink.port,
        prefix: PREFIX,
        globalTags: { adapter },
        flushInterval: 20,
      }),
    ],
    controllers: [CompatController],
  })
  class AppModule {}

  const app: INestApplication =
    adapter === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(AppModule, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    const measured: string[] = [];
    for (const request of REQUESTS) {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`);
      await response.arrayBuffer();
      if (response.status !== request.status) {
        throw new Error(
          `${adapter}: GET ${request.path} answered ${response.status}, expected ${request.status}`,
        );
      }
      const line = await waitForRequestLine(sink, request.status);
      checkRequestLine(line, adapter, request);
      measured.push(`  cjs ${adapter} ${request.status}: ${describeLine(line)}`);
    }
    return [...measured, `cjs ${adapter}: ${REQUESTS.length} requests measured`].join('\n');
  } finally {
    await app.close();
    await sink.close();
  }
}

async function main(): Promise<void> {
  checkEntry('cjs', require.resolve('nestjs-statsd'));
  for (const adapter of ADAPTERS) console.log(await requestMetricOn(adapter));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
