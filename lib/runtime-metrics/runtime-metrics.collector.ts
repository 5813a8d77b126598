import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { StatsdService } from '../statsd.service';
import { EventLoopLag } from './event-loop-lag';

const GC_KIND_NAMES: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Reports the process's health at a fixed interval, off the request path: event-loop delay and
 * utilization, heap, RSS, external memory, GC pauses by kind, CPU, active handles and requests.
 * Everything is read from Node's own counters; nothing is sampled per request.
 */
export class RuntimeMetricsCollector {
  private readonly lag = new EventLoopLag();
  private readonly gcObserver: PerformanceObserver;
  private readonly timer: NodeJS.Timeout;
  private lastUtilization = performance.eventLoopUtilization();
  private lastCpu = process.cpuUsage();
  private readonly gcPauses = new Map<string, { count: number; ms: number }>();

  constructor(private readonly statsd: StatsdService, intervalMs: number) {
    this.lag.start();
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as unknown as { detail?: { kind?: number } }).detail;
        const kind = GC_KIND_NAMES[detail?.kind ?? -1] ?? 'other';
        const pauses = this.gcPauses.get(kind) ?? { count: 0, ms: 0 };
        pauses.count++;
        pauses.ms += entry.duration;
        this.gcPauses.set(kind, pauses);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => this.report(), intervalMs);
    this.timer.unref();
  }

  /** Records one round of runtime metrics (also called at shutdown for the last interval). */
  report(): void {
    const s = this.statsd;
    const delay = this.lag.take();
    s.gauge('runtime.event_loop.delay.p50', delay.p50);
    s.gauge('runtime.event_loop.delay.p99', delay.p99);
    s.gauge('runtime.event_loop.delay.max', delay.max);

    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    s.gauge('runtime.event_loop.utilization', utilization.utilization);

    const memory = process.memoryUsage();
    s.gauge('runtime.heap.used', memory.heapUsed);
    s.gauge('runtime.heap.total', memory.heapTotal);
    s.gauge('runtime.heap.limit', getHeapStatistics().heap_size_limit);
    s.gauge('runtime.memory.rss', memory.rss);
    s.gauge('runtime.memory.external', memory.external);

    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    s.increment('runtime.cpu.user', cpu.user / 1000);
    s.increment('runtime.cpu.system', cpu.system / 1000);

    for (const [kind, pauses] of this.gcPauses) {
      s.increment('runtime.gc.count', pauses.count, { kind });
      s.increment('runtime.gc.pause', pauses.ms, { kind });
    }
    this.gcPauses.clear();

    const resources = process.getActiveResourcesInfo();
    const requests = resources.filter((type) => /Req/.test(type)).length;
    s.gauge('runtime.active.handles', resources.length - requests);
    s.gauge('runtime.active.requests', requests);
  }

  /** Stops sampling and observing. */
  stop(): void {
    clearInterval(this.timer);
    this.lag.stop();
    this.gcObserver.disconnect();
  }
}
