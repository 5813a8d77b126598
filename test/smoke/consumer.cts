// A CommonJS TypeScript app (module: nodenext) using the packed package through `require`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import * as api from 'nestjs-statsd';
import {
  Measure,
  SkipMetrics,
  StatsdInterceptor,
  StatsdModule,
  StatsdService,
} from 'nestjs-statsd';
import { checkPackage, type IsAny } from './checks.cjs';

const typed: [
  IsAny<typeof StatsdModule>,
  IsAny<typeof StatsdService>,
  IsAny<typeof StatsdInterceptor>,
  IsAny<typeof Measure>,
  IsAny<typeof SkipMetrics>,
] = [false, false, false, false, false];

async function main(): Promise<void> {
  checkPackage('cjs', api, require.resolve('nestjs-statsd'));
  const app = await NestFactory.createApplicationContext(StatsdModule.forRoot({ mock: true }), {
    logger: false,
  });
  const statsd = app.get(StatsdService);
  statsd.increment('smoke.runs', 1, { format: 'cjs' });
  await statsd.flush();
  await app.close();
  console.log(`cjs consumer: ${typed.length} exports typed, module started and closed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
