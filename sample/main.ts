import 'reflect-metadata';
import { setTimeout as delay } from 'node:timers/promises';
import { NestFactory } from '@nestjs/core';
import { StatsdService } from '../lib';
import { AppModule } from './app.module';
import { bannerLines, type SampleStatus } from './bootstrap/banner';
import { freePort } from './bootstrap/free.port';
import { QuietLogger } from './bootstrap/quiet.logger';
import {
  appPortFromEnv,
  externalTargetFromEnv,
  flavorFromEnv,
  type StatsdTarget,
} from './bootstrap/env.config';
import { describeSummary, runDemoTraffic } from './demo/demo.traffic';
import { GLOBAL_TAGS, REQUEST_METRICS } from './metrics.config';
import { startEmbeddedSink, type EmbeddedSink } from './sink/embedded.sink';

/**
 * `npm start`: the embedded StatsD sink (unless STATSD_HOST / STATSD_PORT name a real agent, in
 * the wire format of STATSD_FLAVOR), the app on PORT (default 3000, or a free port), a short
 * burst of demo traffic, then serve until Ctrl-C. SAMPLE_VERBOSE=1 shows Nest's full logs.
 */
async function main(): Promise<void> {
  const status: SampleStatus = { demo: 'demo traffic: waiting for the app…' };
  const external = externalTargetFromEnv();
  const preferredPort = appPortFromEnv();
  let sink: EmbeddedSink | undefined;
  let target: StatsdTarget;
  if (external) {
    target = external;
  } else {
    const flavor = flavorFromEnv();
    if (flavor !== 'dogstatsd') {
      throw new Error(
        `sample: STATSD_FLAVOR="${flavor}" needs an external agent (STATSD_HOST / STATSD_PORT); the embedded sink reads DogStatsD only.`,
      );
    }
    sink = await startEmbeddedSink({
      requestMetrics: REQUEST_METRICS,
      hiddenTags: Object.keys(GLOBAL_TAGS),
      header: () => bannerLines(status),
      output: process.stdout,
    });
    target = { ...sink.address, flavor, external: false };
  }
  status.target = target;

  const app = await NestFactory.create(AppModule.register(target), {
    logger: new QuietLogger(process.env['SAMPLE_VERBOSE'] === '1'),
  });
  app.setGlobalPrefix('api');
  const port = await freePort(preferredPort);
  await app.listen(port);
  status.appUrl = `http://localhost:${port}`;
  status.demo = 'demo traffic: sending…';
  console.log(bannerLines(status).join('\n'));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait any longer
    stopping = true;
    await app.close(); // the library flushes what it recorded before closing its socket
    await delay(50); // let the last datagrams reach the sink
    await sink?.close(); // prints the final table
    console.log('sample: stopped');
    process.exit(0);
  };
  const onSignal = (): void => {
    stop().catch((error: unknown) => {
      console.error('sample: shutdown failed:', error);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const summary = await runDemoTraffic(`http://127.0.0.1:${port}`);
  status.demo = describeSummary(summary);
  if (!sink) console.log(status.demo);
  if (stopping) return;
  app.get(StatsdService).flush(); // send now rather than at the next flush interval
  await delay(50);
  sink?.print();
}

main().catch((error: unknown) => {
  console.error('sample failed to start:', error);
  process.exit(1);
});
