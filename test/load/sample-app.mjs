// The application under load: the sample app (sample/app.module.ts, compiled by
// `tsc -p sample/tsconfig.json` into dist-sample/), run as a child process of load-test.mjs so
// that its RSS is its own. Its StatsD target comes from the environment, parsed by the sample's
// own env config: STATSD_HOST / STATSD_PORT (the daemon) and STATSD_FLAVOR (statsd).
// Talks to the parent over IPC: reports RSS every second, flushes and closes on request.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = join(root, 'dist-sample');
if (!existsSync(join(built, 'sample', 'app.module.js'))) {
  throw new Error(
    'dist-sample/ is missing: run `tsc -p sample/tsconfig.json` (npm run test:load does)',
  );
}
// dist-sample is CommonJS. The sample imports the library from ../lib (compiled alongside it),
// so StatsdService must come from there too: the same class is the same injection token.
const require = createRequire(import.meta.url);
const { AppModule } = require(join(built, 'sample', 'app.module.js'));
const { externalTargetFromEnv } = require(join(built, 'sample', 'bootstrap', 'env.config.js'));
const { StatsdService } = require(join(built, 'lib', 'index.js'));

const target = externalTargetFromEnv();
if (!target) throw new Error('load app: STATSD_HOST / STATSD_PORT must name the daemon');

const faults = [];
process.on('unhandledRejection', (error) => faults.push(String(error)));
process.on('uncaughtException', (error) => faults.push(String(error)));

const app = await NestFactory.create(AppModule.register(target), { logger: ['error', 'warn'] });
app.setGlobalPrefix('api'); // as sample/main.ts does
await app.listen(0, '127.0.0.1');
const statsd = app.get(StatsdService);
// A full GC before each sample (the parent starts us with --expose-gc) takes the garbage of the
// last second out of the reading, so what remains shows retained memory.
const rssTimer = setInterval(() => {
  globalThis.gc?.();
  process.send({ type: 'rss', rss: process.memoryUsage().rss, at: Date.now() });
}, 1000);

process.on('message', async (message) => {
  if (message.type === 'flush') {
    statsd.flush();
    process.send({ type: 'flushed', stats: statsd.stats() });
  } else if (message.type === 'stop') {
    clearInterval(rssTimer);
    const started = Date.now();
    await app.close();
    process.send(
      { type: 'stopped', stats: statsd.stats(), closeMs: Date.now() - started, faults },
      () => process.exit(0),
    );
  }
});
process.send({
  type: 'ready',
  port: app.getHttpServer().address().port,
  target,
});
