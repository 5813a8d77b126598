// An ES module TypeScript app (module: nodenext) using the packed package through `import`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
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

checkPackage('esm', api, fileURLToPath(import.meta.resolve('nestjs-statsd')));
const dynamic = await import('nestjs-statsd');
if (dynamic.StatsdModule !== StatsdModule) {
  throw new Error('esm: import() and static import gave different StatsdModule classes');
}

const app = await NestFactory.createApplicationContext(StatsdModule.forRoot({ mock: true }), {
  logger: false,
});
const statsd = app.get(StatsdService);
statsd.increment('smoke.runs', 1, { format: 'esm' });
await statsd.flush();
await app.close();
console.log(`esm consumer: ${typed.length} exports typed, module started and closed`);
