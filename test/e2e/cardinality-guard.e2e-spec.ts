import { Logger } from '@nestjs/common';
import { cardinalityLimitReached } from '../../lib/statsd.messages';
import { sharedDaemon } from '../utils/daemon-client';
import { parseLine, type ParsedMetric } from '../utils/statsd-line-parser';
import { UdpCollector } from '../utils/udp-collector';
import { waitFor } from '../utils/wait-for';
import { startApp, uniquePrefix, type RunningApp } from '../fixtures/reliability-app';

/**
 * 10k distinct values of a user-provided tag: the backend sees at most `maxTagCombinations` + 1
 * tag sets for the metric (the extra one is `other`), a warning is logged once, and no value is
 * lost (the counter total is still 10k).
 */

const DISTINCT = 10_000;
let running: RunningApp | undefined;
let collector: UdpCollector | undefined;
let warn: jest.SpyInstance;

beforeEach(() => {
  warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await running?.app.close();
  await collector?.close();
  running = undefined;
  collector = undefined;
  warn.mockRestore();
});

function warnings(text: string): number {
  return warn.mock.calls.filter((call) => call[0] === text).length;
}

function tagSetKey(metric: ParsedMetric): string {
  return JSON.stringify(Object.entries(metric.tags).sort());
}

/**
 * Flushes, then sends a `done` counter and waits for it: UDP on loopback keeps the order, so
 * every line flushed before is in what this resolves with.
 */
async function flushAndCollect(app: RunningApp, sink: UdpCollector): Promise<readonly string[]> {
  app.statsd.flush();
  app.statsd.increment('done');
  app.statsd.flush();
  return sink.waitForLines((received) => received.some((line) => line.startsWith('card.done:')), {
    timeoutMs: 5000,
  });
}

it('folds a tag with 10k values into at most 1001 tag sets on the wire, losing no count', async () => {
  collector = await UdpCollector.start();
  running = await startApp({
    host: '127.0.0.1',
    port: collector.port,
    prefix: 'card',
    http: false,
    cpu: false,
    flushInterval: 3_600_000,
  });
  for (let i = 0; i < DISTINCT; i++) running.statsd.increment('x', 1, { user: String(i) });
  const lines = await flushAndCollect(running, collector);
  const metrics = lines
    .map((line) => parseLine(line, 'dogstatsd')[0] as ParsedMetric)
    .filter((metric) => metric.name === 'card.x');
  const tagSets = new Set(metrics.map(tagSetKey));
  expect(tagSets.size).toBeLessThanOrEqual(1001);
  expect(tagSets.size).toBeGreaterThan(1);
  expect(tagSets.has(JSON.stringify([['user', 'other']]))).toBe(true);
  expect(metrics.reduce((sum, metric) => sum + (metric.values[0] as number), 0)).toBe(DISTINCT);
  expect(warnings(cardinalityLimitReached('card.x', 1000))).toBe(1);
});

it('folds them the same way in the real daemon', async () => {
  const daemon = sharedDaemon();
  const prefix = uniquePrefix('card');
  running = await startApp({
    host: daemon.host,
    port: daemon.port,
    prefix,
    http: false,
    cpu: false,
    flushInterval: 3_600_000,
    maxTagCombinations: 100,
  });
  for (let i = 0; i < DISTINCT; i++) {
    running.statsd.increment('x', 1, { user: String(i) });
    // Flush in slices so a burst never overflows the daemon's UDP receive buffer.
    if (i % 500 === 499) {
      running.statsd.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  running.statsd.flush();
  const ours = (counters: Record<string, number>) =>
    Object.entries(counters).filter(([key]) => key.startsWith(`${prefix}.x;`));
  await waitFor(
    async () =>
      ours(await daemon.mgmt.counters()).reduce((sum, [, value]) => sum + value, 0) === DISTINCT,
    {
      description: `the daemon to count ${DISTINCT} under ${prefix}.x`,
      timeoutMs: 8000,
    },
  );
  const keys = ours(await daemon.mgmt.counters()).map(([key]) => key);
  expect(keys.length).toBeLessThanOrEqual(101);
  expect(keys).toContain(`${prefix}.x;user=other`);
  expect(warnings(cardinalityLimitReached(`${prefix}.x`, 100))).toBe(1);
});

it('folds distinct http.tags values per request the same way, counting every request', async () => {
  collector = await UdpCollector.start();
  let user = 0;
  running = await startApp({
    host: '127.0.0.1',
    port: collector.port,
    prefix: 'card',
    cpu: false,
    flushInterval: 3_600_000,
    maxTagCombinations: 20,
    http: { tags: () => ({ user: String(user++) }) },
  });
  // 2k requests (10k would take ~20 s here); the limit is 20 so folding starts early.
  const requests = 2000;
  for (let batch = 0; batch < requests / 50; batch++) {
    await Promise.all(Array.from({ length: 50 }, () => running!.get('/users/1')));
  }
  const lines = await flushAndCollect(running, collector);
  const metrics = lines
    .map((line) => parseLine(line, 'dogstatsd')[0] as ParsedMetric)
    .filter((metric) => metric.name === 'card.http.request');
  expect(new Set(metrics.map(tagSetKey)).size).toBeLessThanOrEqual(21);
  expect(metrics.reduce((sum, metric) => sum + metric.values.length, 0)).toBe(requests);
  expect(warnings(cardinalityLimitReached('card.http.request', 20))).toBe(1);
});
