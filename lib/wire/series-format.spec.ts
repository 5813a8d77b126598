import { buildSeriesFormat, wireTypeFor, type SeriesFormat } from './series-format';

/** A line with the given values, the way `Series` writes it. */
function lineOf(format: SeriesFormat, values: string[]): string {
  return format.head + values.map((value) => value + format.valueSuffix).join(':') + format.tail;
}

const TAGS = [
  ['env', 'test'],
  ['route', '/users/:id'],
] as const;

describe('buildSeriesFormat', () => {
  it('writes DogStatsD lines with tags after the type', () => {
    const format = buildSeriesFormat('dogstatsd', 'app.orders', 'c', 1, TAGS);
    expect(lineOf(format, ['3'])).toBe('app.orders:3|c|#env:test,route:/users/:id');
  });

  it('packs several DogStatsD values before the type', () => {
    const format = buildSeriesFormat('dogstatsd', 'app.latency', 'ms', 1, []);
    expect(format.multiValue).toBe(true);
    expect(lineOf(format, ['1', '2.5', '3'])).toBe('app.latency:1:2.5:3|ms');
  });

  it('does not pack DogStatsD set members, which the agent reads as one member', () => {
    const format = buildSeriesFormat('dogstatsd', 'app.users', 's', 1, []);
    expect(format.multiValue).toBe(false);
    expect(lineOf(format, ['u1'])).toBe('app.users:u1|s');
  });

  it('adds the sample rate before the tags for counters, timings, histograms and distributions', () => {
    for (const type of ['c', 'ms', 'h', 'd'] as const) {
      const format = buildSeriesFormat('dogstatsd', 'x', type, 0.25, [['k', 'v']]);
      expect(lineOf(format, ['1'])).toBe(`x:1|${type}|@0.25|#k:v`);
    }
  });

  it('never adds a sample rate to gauges and sets', () => {
    expect(lineOf(buildSeriesFormat('dogstatsd', 'x', 'g', 0.5, []), ['1'])).toBe('x:1|g');
    expect(lineOf(buildSeriesFormat('dogstatsd', 'x', 's', 0.5, []), ['a'])).toBe('x:a|s');
  });

  it('writes Telegraf lines with Influx-style tags in the name, one value per line', () => {
    const format = buildSeriesFormat('telegraf', 'app.orders', 'ms', 0.5, TAGS);
    expect(format.multiValue).toBe(false);
    expect(lineOf(format, ['7'])).toBe('app.orders,env=test,route=/users/_id:7|ms|@0.5');
  });

  it('writes plain StatsD lines with tags folded into the name, type after each value', () => {
    const format = buildSeriesFormat('statsd', 'app.orders', 'ms', 0.5, TAGS);
    expect(format.multiValue).toBe(true);
    expect(lineOf(format, ['7', '8'])).toBe(
      'app.orders.env_test.route__users__id:7|ms|@0.5:8|ms|@0.5',
    );
  });

  it('writes untagged lines without an empty tag field in every flavor', () => {
    expect(lineOf(buildSeriesFormat('dogstatsd', 'n', 'g', 1, []), ['1'])).toBe('n:1|g');
    expect(lineOf(buildSeriesFormat('telegraf', 'n', 'g', 1, []), ['1'])).toBe('n:1|g');
    expect(lineOf(buildSeriesFormat('statsd', 'n', 'g', 1, []), ['1'])).toBe('n:1|g');
  });

  it('sanitizes hostile tags so they cannot add fields, tags or lines', () => {
    const format = buildSeriesFormat('dogstatsd', 'n', 'c', 1, [['k|#x', 'v\n,evil:1|c']]);
    expect(lineOf(format, ['1'])).toBe('n:1|c|#k__x:v__evil:1_c');
  });

  it('writes the origin fields after the tags, in DogStatsD only', () => {
    const fields = '|c:abc123|e:it-false,cn-web,pu-42';
    expect(
      lineOf(buildSeriesFormat('dogstatsd', 'n', 'd', 0.5, [['k', 'v']], fields), ['1', '2']),
    ).toBe('n:1:2|d|@0.5|#k:v|c:abc123|e:it-false,cn-web,pu-42');
    expect(lineOf(buildSeriesFormat('dogstatsd', 'n', 'ms', 1, [], fields), ['1'])).toBe(
      'n:1|ms|c:abc123|e:it-false,cn-web,pu-42',
    );
  });

  it('sends distributions as timings where the flavor has no `d`, and histograms too for Etsy StatsD', () => {
    expect(lineOf(buildSeriesFormat('telegraf', 'n', 'd', 1, [['k', 'v']]), ['1'])).toBe(
      'n,k=v:1|ms',
    );
    expect(lineOf(buildSeriesFormat('telegraf', 'n', 'h', 1, []), ['1'])).toBe('n:1|h');
    expect(lineOf(buildSeriesFormat('statsd', 'n', 'd', 1, []), ['1', '2'])).toBe('n:1|ms:2|ms');
    expect(lineOf(buildSeriesFormat('statsd', 'n', 'h', 1, []), ['1'])).toBe('n:1|ms');
    expect(wireTypeFor('dogstatsd', 'd')).toBe('d');
    expect(wireTypeFor('dogstatsd', 'h')).toBe('h');
  });
});
