import { buildSeriesFormat } from './series-format';
import type { MetricType } from './series-format';
import { Series } from './series';
import type { StatsdFlavor } from '../options/statsd-options.interface';

function seriesOf(
  flavor: StatsdFlavor,
  type: MetricType,
  name = 'app.m',
  tags: ReadonlyArray<readonly [string, string]> = [],
): Series {
  return new Series(buildSeriesFormat(flavor, name, type, 1, tags), type, flavor !== 'dogstatsd');
}

function drain(series: Series, maxBytes = 1432): string[] {
  const lines: string[] = [];
  series.drainInto(lines, maxBytes);
  return lines;
}

describe('Series', () => {
  it('sums counter values into one value', () => {
    const series = seriesOf('dogstatsd', 'c');
    series.add(1);
    series.add(2);
    series.add(-0.5);
    expect(drain(series)).toEqual(['app.m:2.5|c']);
  });

  it('sends a counter that summed to zero, since it was recorded', () => {
    const series = seriesOf('dogstatsd', 'c');
    series.add(1);
    series.add(-1);
    expect(drain(series)).toEqual(['app.m:0|c']);
  });

  it('keeps only the last gauge value', () => {
    const series = seriesOf('dogstatsd', 'g');
    series.add(5);
    series.add(7);
    expect(drain(series)).toEqual(['app.m:7|g']);
  });

  it('sends a negative DogStatsD gauge as it is (an absolute value there)', () => {
    const series = seriesOf('dogstatsd', 'g');
    series.add(-5);
    expect(drain(series)).toEqual(['app.m:-5|g']);
  });

  it('sends a negative Etsy StatsD gauge as a reset to 0 then the delta', () => {
    const series = seriesOf('statsd', 'g');
    series.add(-5);
    expect(drain(series)).toEqual(['app.m:0|g:-5|g']);
  });

  it('sends a negative Telegraf gauge as a reset line then a delta line', () => {
    const series = seriesOf('telegraf', 'g', 'app.m', [['k', 'v']]);
    series.add(-5);
    expect(drain(series)).toEqual(['app.m,k=v:0|g', 'app.m,k=v:-5|g']);
  });

  it('packs every timing value of a DogStatsD series into one line, in order', () => {
    const series = seriesOf('dogstatsd', 'ms', 'app.m', [['env', 'test']]);
    for (const value of [3, 1.25, 2]) series.add(value);
    expect(drain(series)).toEqual(['app.m:3:1.25:2|ms|#env:test']);
  });

  it('writes one Telegraf line per timing value', () => {
    const series = seriesOf('telegraf', 'ms');
    series.add(1);
    series.add(2);
    expect(drain(series)).toEqual(['app.m:1|ms', 'app.m:2|ms']);
  });

  it('splits values over several lines that each fit the byte limit', () => {
    const series = seriesOf('dogstatsd', 'd', 'app.m', [['env', 'test']]);
    for (let index = 0; index < 500; index++) series.add(100 + index);
    const lines = drain(series, 200);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(200);
      expect(line).toMatch(/^app\.m:\d+(:\d+)*\|d\|#env:test$/);
    }
    const values = lines.flatMap((line) =>
      line.slice('app.m:'.length, line.indexOf('|')).split(':'),
    );
    expect(values.map(Number)).toEqual(Array.from({ length: 500 }, (_, index) => 100 + index));
  });

  it('counts the bytes of multi-byte tag values against the limit', () => {
    const series = seriesOf('dogstatsd', 'ms', 'app.m', [['city', '\u00e9'.repeat(60)]]);
    for (let index = 0; index < 100; index++) series.add(index);
    const lines = drain(series, 200);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(200);
    expect(lines.join('\n').match(/\|ms/g)).toHaveLength(lines.length);
  });

  it('sends each distinct set member once', () => {
    const series = seriesOf('statsd', 's');
    for (const member of ['a', 'b', 'a']) series.addMember(member);
    expect(drain(series)).toEqual(['app.m:a|s:b|s']);
  });

  it('writes one DogStatsD line per set member', () => {
    const series = seriesOf('dogstatsd', 's', 'app.m', [['k', 'v']]);
    for (const member of ['a', 'b', 'a']) series.addMember(member);
    expect(drain(series)).toEqual(['app.m:a|s|#k:v', 'app.m:b|s|#k:v']);
  });

  it('counts the bytes of multi-byte set members against the limit', () => {
    const series = seriesOf('statsd', 's');
    for (let index = 0; index < 8; index++) series.addMember(`${index}${'\u00e9'.repeat(60)}`);
    const lines = drain(series, 512);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(512);
    expect(lines.join(':').match(/\|s/g)).toHaveLength(8);
  });

  it('forgets what it sent: a second drain writes nothing', () => {
    for (const type of ['c', 'g', 'ms', 's'] as const) {
      const series = seriesOf('dogstatsd', type);
      if (type === 's') series.addMember('x');
      else series.add(1);
      expect(drain(series)).toHaveLength(1);
      expect(drain(series)).toEqual([]);
      expect(series.pending).toBe(0);
    }
  });

  it('reports how many values wait', () => {
    const timing = seriesOf('dogstatsd', 'ms');
    timing.add(1);
    timing.add(2);
    const counter = seriesOf('dogstatsd', 'c');
    counter.add(1);
    counter.add(2);
    expect([timing.pending, counter.pending]).toEqual([2, 1]);
  });
});
