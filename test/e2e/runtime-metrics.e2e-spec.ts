import { Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { performance } from 'node:perf_hooks';
import { StatsdModule, StatsdService } from '../../lib';
import { parseLine, type ParsedMetric } from '../utils/statsd-line-parser';
import { UdpCollector } from '../utils/udp-collector';

const EXPECTED_GAUGES = [
  'app.runtime.event_loop.delay.p50',
  'app.runtime.event_loop.delay.p99',
  'app.runtime.event_loop.delay.max',
  'app.runtime.event_loop.utilization',
  'app.runtime.heap.used',
  'app.runtime.heap.total',
  'app.runtime.heap.limit',
  'app.runtime.memory.rss',
  'app.runtime.memory.external',
  'app.runtime.active.handles',
  'app.runtime.active.requests',
];

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the workload: keep the event loop blocked
  }
}

describe('runtime metrics', () => {
  let sink: UdpCollector;
  let context: INestApplicationContext | undefined;

  beforeEach(async () => {
    sink = await UdpCollector.start();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    await sink.close();
  });

  async function start(runtimeMetrics: boolean | number): Promise<INestApplicationContext> {
    @Module({ imports: [StatsdModule.forRoot({ port: sink.port, prefix: 'app', runtimeMetrics, flushInterval: 20 })] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    context = await moduleRef.init();
    return context;
  }

  function latest(name: string): ParsedMetric | undefined {
    const metrics = sink.lines.flatMap((line) => parseLine(line, 'dogstatsd')).filter((metric) => metric.name === name);
    return metrics[metrics.length - 1];
  }

  it('reports every runtime gauge with plausible values at the interval', async () => {
    await start(100);
    await sink.waitForLines((lines) => EXPECTED_GAUGES.every((name) => lines.some((line) => line.startsWith(`${name}:`))), { timeoutMs: 5000 });

    const heapUsed = Number(latest('app.runtime.heap.used')?.values[0]);
    const heapLimit = Number(latest('app.runtime.heap.limit')?.values[0]);
    const utilization = Number(latest('app.runtime.event_loop.utilization')?.values[0]);
    expect(heapUsed).toBeGreaterThan(1_000_000);
    expect(heapLimit).toBeGreaterThan(heapUsed);
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
    expect(latest('app.runtime.memory.rss')?.type).toBe('g');
  });

  it('shows a blocked event loop in the delay maximum', async () => {
    await start(100);
    await sink.waitForLines((lines) => lines.some((line) => line.startsWith('app.runtime.event_loop.delay.max:')), { timeoutMs: 5000 });
    sink.clear();

    busyFor(150);

    await sink.waitForLines(
      (lines) =>
        lines.some((line) => line.startsWith('app.runtime.event_loop.delay.max:') && Number(line.split(/[:|]/)[1]) >= 100),
      { timeoutMs: 5000 },
    );
  });

  it('counts CPU time in milliseconds', async () => {
    await start(100);
    // Burn 50 ms of CPU time, not of wall time: on a busy machine the two differ.
    const before = process.cpuUsage();
    while (process.cpuUsage(before).user < 50_000) {
      // the workload
    }
    const burnedUserMs = process.cpuUsage(before).user / 1000;
    await sink.waitForLines((lines) => lines.some((line) => line.startsWith('app.runtime.cpu.user:')), { timeoutMs: 5000 });

    const userMs = sink.lines
      .flatMap((line) => parseLine(line, 'dogstatsd'))
      .filter((metric) => metric.name === 'app.runtime.cpu.user')
      .reduce((total, metric) => total + Number(metric.values[0]), 0);
    expect(userMs).toBeGreaterThanOrEqual(burnedUserMs * 0.95);
  });

  it('reports nothing when turned off', async () => {
    const app = await start(false);
    app.get(StatsdService).increment('marker');
    await sink.waitForLines((lines) => lines.some((line) => line.startsWith('app.marker:')), { timeoutMs: 5000 });

    expect(sink.lines.filter((line) => line.includes('runtime.'))).toEqual([]);
  });

  it('stops reporting once the application is closed', async () => {
    const app = await start(100);
    await sink.waitForLines((lines) => lines.some((line) => line.startsWith('app.runtime.heap.used:')), { timeoutMs: 5000 });
    await app.close();
    context = undefined;
    const afterClose = sink.lines.length;
    // A fresh runtime on the same sink proves time passed for several intervals without reports.
    const other = await start(false);
    other.get(StatsdService).increment('marker');
    await sink.waitForLines((lines) => lines.some((line) => line.startsWith('app.marker:')), { timeoutMs: 5000 });

    expect(sink.lines.slice(afterClose).filter((line) => line.includes('runtime.'))).toEqual([]);
  });
});
