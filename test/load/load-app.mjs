// The application under load, run as a child process of load-test.mjs so that its RSS is its
// own: an Express Nest app with nestjs-statsd (built package) sending to the StatsD daemon.
// Talks to the parent over IPC: reports RSS every second, flushes and closes on request.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { clearInterval, setInterval } from 'node:timers';
import { StatsdModule, StatsdService } from 'nestjs-statsd';

const { STATSD_HOST, STATSD_PORT } = process.env;

class UsersController {
  findOne() {
    return { id: 42, name: 'Ada' };
  }
}
Controller('users')(UsersController);
Get(':id')(
  UsersController.prototype,
  'findOne',
  Object.getOwnPropertyDescriptor(UsersController.prototype, 'findOne'),
);

class AppModule {}
Module({
  imports: [
    StatsdModule.forRoot({
      host: STATSD_HOST,
      port: Number(STATSD_PORT),
      // Etsy's daemon reads only the last value of a multi-value DogStatsD line.
      flavor: 'statsd',
      prefix: 'load',
      cpu: 'process',
      flushInterval: 1000,
    }),
  ],
  controllers: [UsersController],
})(AppModule);

const faults = [];
process.on('unhandledRejection', (error) => faults.push(String(error)));
process.on('uncaughtException', (error) => faults.push(String(error)));

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
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
process.send({ type: 'ready', port: app.getHttpServer().address().port });
