import fc from 'fast-check';
import { UdpCollector } from '../utils/udp-collector';
import type { ParsedMetric, StatsdFlavor } from '../utils/statsd-line-parser';
import { startApp, ThrowingController, type RunningApp } from '../fixtures/reliability-app';
import { expectedTag, hostileString, wireTags } from '../fixtures/injection-oracle';
import { roundTrip } from '../fixtures/wire-roundtrip';

/**
 * Request-borne hostile input: values returned by `http.tags` and the class names of thrown
 * exceptions (routes themselves are declared in code). Each request must give exactly one
 * `http.request` line that parses into one metric with only the intended tags. And the raw URL
 * of unmatched or excluded requests never reaches the wire.
 */

const FLAVORS: StatsdFlavor[] = ['dogstatsd', 'telegraf', 'statsd'];
const RUNS = 100;
let extraTags: Record<string, string> = {};

function tagSet(flavor: StatsdFlavor, metric: ParsedMetric): string[] {
  return flavor === 'statsd' ? metric.name.split('.').slice(3) : wireTags(flavor, metric);
}

describe.each(FLAVORS)('flavor %s', (flavor) => {
  let collector: UdpCollector;
  let running: RunningApp;

  beforeAll(async () => {
    collector = await UdpCollector.start();
    running = await startApp({
      host: '127.0.0.1',
      port: collector.port,
      flavor,
      prefix: 'inj',
      cpu: false,
      flushInterval: 3_600_000,
      maxTagCombinations: 1_000_000,
      http: { tags: () => extraTags, exclude: ['/users/:id/conflict'] },
    });
  });

  afterAll(async () => {
    await running?.app.close();
    await collector?.close();
  });

  function expectRequestMetric(all: ParsedMetric[], tags: Array<[string, string]>): void {
    // The handler's @Measure()d provider sends its own metric; everything else is the request's.
    const metrics = all.filter((metric) => !metric.name.startsWith('inj.pricing.quote'));
    expect(metrics).toHaveLength(1);
    const metric = metrics[0] as ParsedMetric;
    expect(metric.type).toBe('ms');
    expect(metric.values).toHaveLength(1);
    const wanted = tags.map(([key, value]) => expectedTag(flavor, key, value));
    if (flavor === 'statsd') expect(metric.name.startsWith('inj.http.request.')).toBe(true);
    else expect(metric.name).toBe('inj.http.request');
    expect(tagSet(flavor, metric).sort()).toEqual(wanted.sort());
  }

  it('keeps hostile http.tags keys and values inside their own tag', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, async (key, value) => {
        const fixed = ['controller', 'handler', 'route', 'method', 'status', 'status_class'];
        fc.pre(
          key !== '' &&
            !fixed.some((name) => expectedTag(flavor, name, '') === expectedTag(flavor, key, '')),
        );
        extraTags = { [key]: value };
        const { metrics } = await roundTrip(collector, running.statsd, flavor, async () => {
          expect((await running.get('/users/5')).status).toBe(200);
        });
        expectRequestMetric(metrics, [
          ['controller', 'UsersController'],
          ['handler', 'findOne'],
          ['route', '/users/:id'],
          ['method', 'GET'],
          ['status', '200'],
          ['status_class', '2xx'],
          [key, value],
        ]);
      }),
      { numRuns: RUNS },
    );
    extraTags = {};
  });

  it('keeps a hostile exception class name inside the error tag', async () => {
    extraTags = {};
    await fc.assert(
      fc.asyncProperty(hostileString, async (name) => {
        fc.pre(name !== '');
        class Hostile extends Error {}
        Object.defineProperty(Hostile, 'name', { value: name });
        ThrowingController.next = Hostile;
        const { metrics } = await roundTrip(collector, running.statsd, flavor, async () => {
          expect((await running.get('/boom')).status).toBe(500);
        });
        expectRequestMetric(metrics, [
          ['controller', 'ThrowingController'],
          ['handler', 'boom'],
          ['route', '/boom'],
          ['method', 'GET'],
          ['status', '500'],
          ['status_class', '5xx'],
          ['error', name],
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never puts the raw URL of an unmatched or excluded request on the wire', async () => {
    const { lines } = await roundTrip(collector, running.statsd, flavor, async () => {
      expect((await running.get('/secret-token-123/abc?key=secret-token-456')).status).toBe(404);
      expect((await running.get('/users/secret-token-789/conflict')).status).toBe(409);
      expect((await running.get('/users/secret-token-000')).status).toBe(200);
    });
    expect(lines.join('\n')).not.toMatch(/secret|token/);
    // The status tag in any flavor (`status:409`, `status=409`, `.status_409`); a bare '409' could
    // also be part of a value such as 0.409.
    const withStatus = (status: number) => lines.filter((line) => new RegExp(`status[:=_]${status}(?!\\d)`).test(line));
    // The unmatched request is still counted, under a fixed route value.
    expect(withStatus(404).some((line) => line.includes('unmatched'))).toBe(true);
    // The excluded route sends nothing; the matched one sends its template.
    expect(withStatus(409)).toEqual([]);
    expect(withStatus(200).length).toBeGreaterThan(0);
  });
});
