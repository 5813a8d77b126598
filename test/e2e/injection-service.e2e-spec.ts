import fc from 'fast-check';
import { StatsdModule } from '../../lib';
import { invalidOption } from '../../lib/statsd.messages';
import { Test } from '@nestjs/testing';
import { UdpCollector } from '../utils/udp-collector';
import type { ParsedMetric, StatsdFlavor } from '../utils/statsd-line-parser';
import { startApp, type RunningApp } from '../fixtures/reliability-app';
import {
  expectedName,
  expectedSetMember,
  expectedTag,
  hostileString,
  PROPERTY_RUNS,
  wireTags,
} from '../fixtures/injection-oracle';
import { roundTrip } from '../fixtures/wire-roundtrip';

/**
 * Hostile input through StatsdService, over a real UDP socket, for each flavor: every received
 * line parses with that flavor's strict parser into exactly the one metric intended (sanitized
 * name, right type, only the intended tags, right number of values). Datadog limits (names and
 * tags ≤ 200 characters) and the datagram size limit hold.
 */

const FLAVORS: StatsdFlavor[] = ['dogstatsd', 'telegraf', 'statsd'];
const PREFIX = 'inj';


describe.each(FLAVORS)('flavor %s', (flavor) => {
  let collector: UdpCollector;
  let running: RunningApp;

  beforeAll(async () => {
    collector = await UdpCollector.start();
    running = await startApp({
      host: '127.0.0.1',
      port: collector.port,
      flavor,
      prefix: PREFIX,
      globalTags: { env: 'test' },
      http: false,
      cpu: false,
      flushInterval: 3_600_000,
      maxTagCombinations: 1_000_000,
      maxMetricNames: 1_000_000,
    });
  });

  afterAll(async () => {
    await running?.app.close();
    await collector?.close();
  });

  /** The name and tags expected on the wire for `name` with `tags` after the global tag. */
  function expectOneMetric(
    metrics: ParsedMetric[],
    name: string,
    type: string,
    tags: Array<[string, string]>,
  ): ParsedMetric {
    const allTags = [['env', 'test'], ...tags] as Array<[string, string]>;
    const wanted = allTags.map(([key, value]) => expectedTag(flavor, key, value));
    expect(metrics.map((metric) => metric.type)).toEqual(metrics.map(() => type));
    for (const metric of metrics) {
      if (flavor === 'statsd') {
        expect(metric.name).toBe([expectedName(`${PREFIX}.${name}`), ...wanted].join('.'));
        expect(metric.tags).toEqual({});
      } else {
        expect(metric.name).toBe(expectedName(`${PREFIX}.${name}`));
        expect(metric.name.length).toBeLessThanOrEqual(200);
        // Tag order carries no meaning (integer-like keys come first in a JS object).
        expect(wireTags(flavor, metric).sort()).toEqual([...wanted].sort());
        for (const tag of wireTags(flavor, metric)) expect(tag.length).toBeLessThanOrEqual(200);
      }
    }
    return metrics[0] as ParsedMetric;
  }

  it('turns any metric name into one sanitized metric, or drops it when nothing is left', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (name) => {
        const { metrics } = await roundTrip(collector, running.statsd, flavor, () =>
          running.statsd.increment(name, 1, { k: 'v' }),
        );
        const full = expectedName(`${PREFIX}.${name}`);
        if (full === PREFIX) {
          expect(metrics).toEqual([]);
          return;
        }
        expect(metrics).toHaveLength(1);
        const metric = expectOneMetric(metrics, name, 'c', [['k', 'v']]);
        expect(metric.values).toEqual([1]);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('keeps any tag key and value inside one tag of one metric', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, async (key, value) => {
        fc.pre(key !== '' && expectedTag(flavor, key, '') !== expectedTag(flavor, 'env', ''));
        const { metrics } = await roundTrip(collector, running.statsd, flavor, () =>
          running.statsd.timing('tagged', 5, { [key]: value }),
        );
        expect(metrics).toHaveLength(1);
        const metric = expectOneMetric(metrics, 'tagged', 'ms', [[key, value]]);
        expect(metric.values).toEqual([5]);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('sends only finite values within ±1e15 (and no negative timing), each as one plain number', async () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(
        NaN,
        Infinity,
        -Infinity,
        1e15,
        -1e15,
        1e15 + 2,
        1e20,
        -0,
        5e-324,
        0.0004,
        -0.0004,
        123.4567,
      ),
    );
    const type = fc.constantFrom('c', 'g', 'ms', 'h', 'd' as const);
    await fc.assert(
      fc.asyncProperty(value, type, async (number, kind) => {
        const before = running.statsd.stats().invalidValuesDropped;
        const record = {
          c: () => running.statsd.increment('valued', number),
          g: () => running.statsd.gauge('valued', number),
          ms: () => running.statsd.timing('valued', number),
          h: () => running.statsd.histogram('valued', number),
          d: () => running.statsd.distribution('valued', number),
        }[kind];
        const { metrics } = await roundTrip(collector, running.statsd, flavor, record);
        // Etsy StatsD has neither `h` nor `d`, Telegraf no `d`: they go out as timings.
        const wireType =
          (flavor === 'statsd' && kind === 'h') || (flavor !== 'dogstatsd' && kind === 'd')
            ? 'ms'
            : kind;
        const valid =
          Number.isFinite(number) && Math.abs(number) <= 1e15 && !(wireType === 'ms' && number < 0);
        if (!valid) {
          expect(metrics).toEqual([]);
          expect(running.statsd.stats().invalidValuesDropped).toBe(before + 1);
          return;
        }
        expectOneMetric(metrics, 'valued', wireType, []);
        const values = metrics.flatMap((metric) => metric.values as number[]);
        // A negative gauge is a delta in Etsy/Telegraf: it is sent as a reset to 0, then the value.
        const expected =
          kind === 'g' && number < 0 && flavor !== 'dogstatsd' ? [0, number] : [number];
        expect(values).toHaveLength(expected.length);
        values.forEach((sent, index) => {
          expect(Math.abs(sent - (expected[index] as number))).toBeLessThanOrEqual(
            0.0005 + Math.abs(number) * 1e-12,
          );
        });
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('sends any set member as one member of one set', async () => {
    const member = fc.oneof(hostileString, fc.integer(), fc.double());
    await fc.assert(
      fc.asyncProperty(member, async (raw) => {
        const { metrics } = await roundTrip(collector, running.statsd, flavor, () =>
          running.statsd.set('members', raw),
        );
        expect(metrics).toHaveLength(1);
        const metric = expectOneMetric(metrics, 'members', 's', []);
        expect(metric.values).toEqual([expectedSetMember(String(raw))]);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('keeps every datagram within maxPacketSize (512) and loses no value', async () => {
    const small = await UdpCollector.start();
    const app = await startApp({
      host: '127.0.0.1',
      port: small.port,
      flavor,
      prefix: PREFIX,
      globalTags: { env: 'test', region: 'r'.repeat(120) },
      http: false,
      cpu: false,
      flushInterval: 3_600_000,
      maxPacketSize: 512,
    });
    try {
      // Telegraf has one value per line, one datagram each here: a burst of more than ~160
      // datagrams overflows a default UDP receive buffer (kernel accounting), so keep it small.
      const count = flavor === 'telegraf' ? 100 : 3000;
      const { metrics, datagrams } = await roundTrip(small, app.statsd, flavor, () => {
        for (let i = 0; i < count; i++)
          app.statsd.timing(`packed.t${i % 3}`, i, { shard: 'x'.repeat(150) });
        for (let i = 0; i < 50; i++) app.statsd.set('packed.members', `member-${i}`);
      });
      for (const datagram of datagrams)
        expect(Buffer.byteLength(datagram)).toBeLessThanOrEqual(512);
      const timings = metrics
        .filter((metric) => metric.type === 'ms')
        .flatMap((metric) => metric.values as number[]);
      expect(timings).toHaveLength(count);
      expect(
        metrics
          .filter((metric) => metric.type === 's')
          .flatMap((metric) => metric.values as string[]),
      ).toHaveLength(50);
      expect(app.statsd.stats().oversizedLinesDropped).toBe(0);
    } finally {
      await app.app.close();
      await small.close();
    }
  });
});

describe('prefix', () => {
  it('rejects at startup any prefix that is not letters, digits, "_", "-" and single dots', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (prefix) => {
        fc.pre(prefix !== '' && !/^[A-Za-z0-9_.-]+$/.test(prefix));
        const compiling = Test.createTestingModule({
          imports: [StatsdModule.forRoot({ prefix, http: false, mock: true })],
        }).compile();
        await expect(compiling).rejects.toThrow(
          invalidOption('prefix', 'made of letters, digits, "_", "-" and single dots', prefix),
        );
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
