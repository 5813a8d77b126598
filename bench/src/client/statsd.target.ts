import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { StatsdModule, StatsdService } from 'nestjs-statsd';
import { TAGS, type TimingTarget } from './client.types';

/** StatsdService.timing with the module's defaults, in a Nest application context. */
export async function statsdTarget(port: number): Promise<TimingTarget> {
  @Module({})
  class ClientBenchModule {}
  const app = await NestFactory.createApplicationContext(
    {
      module: ClientBenchModule,
      imports: [
        StatsdModule.forRoot({
          host: '127.0.0.1',
          port,
          prefix: 'bench',
          globalTags: { env: 'bench' },
        }),
      ],
    },
    { logger: ['error', 'warn'] },
  );
  const statsd = app.get(StatsdService);
  const tags: Record<string, string> = { ...TAGS };
  return {
    name: 'nestjs-statsd StatsdService.timing (defaults)',
    wireName: 'bench.client.timing',
    timing: (value) => statsd.timing('client.timing', value, tags),
    flush: async () => {
      await statsd.flush();
    },
    close: () => app.close(),
  };
}
