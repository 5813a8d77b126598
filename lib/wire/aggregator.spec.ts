import { Aggregator, OVERFLOW_TAG_VALUE, type AggregatorSettings } from './aggregator';

type TagList = ReadonlyArray<readonly [string, string]>;

function aggregator(overrides: Partial<AggregatorSettings> = {}) {
  const settings = {
    flavor: 'dogstatsd' as const,
    sampleRate: 1,
    maxTagCombinations: 1000,
    maxMetricNames: 1000,
    originFields: '',
    ...overrides,
    onCardinalityLimit: jest.fn<void, [string]>(),
    onNameLimit: jest.fn<void, []>(),
  };
  return { settings, aggregator: new Aggregator(settings) };
}

const GLOBAL: TagList = [['env', 'test']];

describe('Aggregator', () => {
  it('returns the same series for the same name, type and tags', () => {
    const { aggregator: subject } = aggregator();
    const first = subject.series('app.m', 'ms', [...GLOBAL, ['k', 'v']], 1);
    const second = subject.series('app.m', 'ms', [...GLOBAL, ['k', 'v']], 1);
    expect(second).toBe(first);
    expect(subject.size).toBe(1);
  });

  it('keeps separate series per type and per tag value', () => {
    const { aggregator: subject } = aggregator();
    subject.series('app.m', 'ms', GLOBAL, 1);
    subject.series('app.m', 'c', GLOBAL, 1);
    subject.series('app.m', 'ms', [...GLOBAL, ['k', 'v']], 1);
    expect(subject.size).toBe(3);
  });

  it('sends a sampled variant of a series with its rate, beside the unsampled values', () => {
    const { aggregator: subject } = aggregator({ sampleRate: 0.5 });
    const series = subject.series('app.m', 'ms', GLOBAL, 1)!;
    series.add(1);
    series.sampledAt(1 / 8).add(2);
    series.sampledAt(1 / 8).add(3);
    expect(series.sampledAt(1 / 8)).toBe(series.sampledAt(1 / 8));
    expect(series.sampledAt(1)).toBe(series);
    expect(subject.drainLines(1432).sort()).toEqual(['app.m:1|ms|@0.5|#env:test', 'app.m:2:3|ms|@0.0625|#env:test']);
  });

  it('ends every line with the origin fields: plain, sampled and folded series alike', () => {
    const { aggregator: subject } = aggregator({ originFields: '|c:abc|e:it-false', maxTagCombinations: 1 });
    const series = subject.series('app.m', 'd', [...GLOBAL, ['k', 'a']], 1)!;
    series.add(1);
    series.sampledAt(0.5).add(2);
    subject.series('app.m', 'd', [...GLOBAL, ['k', 'b']], 1)?.add(3);
    expect(subject.drainLines(1432).sort()).toEqual([
      'app.m:1|d|#env:test,k:a|c:abc|e:it-false',
      'app.m:2|d|@0.5|#env:test,k:a|c:abc|e:it-false',
      'app.m:3|d|#env:test,k:other|c:abc|e:it-false',
    ]);
  });

  it('does not count a sampled variant as a tag combination', () => {
    const { aggregator: subject, settings } = aggregator({ maxTagCombinations: 1 });
    const series = subject.series('app.m', 'ms', [...GLOBAL, ['k', 'a']], 1)!;
    series.sampledAt(0.5).add(1);
    series.sampledAt(0.25).add(1);
    expect(subject.series('app.m', 'ms', [...GLOBAL, ['k', 'a']], 1)).toBe(series);
    expect(settings.onCardinalityLimit).not.toHaveBeenCalled();
  });

  it('drains every series as lines and then has nothing left', () => {
    const { aggregator: subject } = aggregator();
    subject.series('app.a', 'c', GLOBAL, 1)?.add(2);
    subject.series('app.b', 'ms', [...GLOBAL, ['k', 'v']], 1)?.add(3);
    expect(subject.drainLines(1432)).toEqual(['app.a:2|c|#env:test', 'app.b:3|ms|#env:test,k:v']);
    expect(subject.drainLines(1432)).toEqual([]);
  });

  it('writes lines in the configured flavor and sample rate', () => {
    const { aggregator: subject } = aggregator({ flavor: 'telegraf', sampleRate: 0.5 });
    subject.series('app.a', 'c', GLOBAL, 1)?.add(1);
    expect(subject.drainLines(1432)).toEqual(['app.a,env=test:1|c|@0.5']);
  });

  it('folds tag combinations beyond the limit into "other", keeping the global tags', () => {
    const { aggregator: subject } = aggregator({ maxTagCombinations: 2 });
    for (const user of ['u1', 'u2', 'u3', 'u4']) {
      subject.series('app.m', 'c', [...GLOBAL, ['user', user], ['plan', 'pro']], 1)?.add(1);
    }
    expect(subject.drainLines(1432).sort()).toEqual([
      'app.m:1|c|#env:test,user:u1,plan:pro',
      'app.m:1|c|#env:test,user:u2,plan:pro',
      `app.m:2|c|#env:test,user:${OVERFLOW_TAG_VALUE},plan:${OVERFLOW_TAG_VALUE}`,
    ]);
  });

  it('sends every combination beyond the limit to one series, whatever tag keys arrive', () => {
    const { aggregator: subject } = aggregator({ maxTagCombinations: 2 });
    subject.series('app.m', 'c', [...GLOBAL, ['user', '1']], 1);
    subject.series('app.m', 'c', [...GLOBAL, ['user', '2']], 1);
    const overflow = subject.series('app.m', 'c', [...GLOBAL, ['user', '3']], 1);
    for (let i = 0; i < 50; i++) {
      expect(subject.series('app.m', 'c', [...GLOBAL, [`key${i}`, `value${i}`]], 1)).toBe(overflow);
    }
    expect(subject.size).toBe(3);
  });

  it('still records combinations it already knows after the limit is reached', () => {
    const { aggregator: subject } = aggregator({ maxTagCombinations: 1 });
    const known = subject.series('app.m', 'c', [...GLOBAL, ['user', 'u1']], 1);
    subject.series('app.m', 'c', [...GLOBAL, ['user', 'u2']], 1);
    expect(subject.series('app.m', 'c', [...GLOBAL, ['user', 'u1']], 1)).toBe(known);
  });

  it('counts the limit per metric name', () => {
    const { aggregator: subject, settings } = aggregator({ maxTagCombinations: 1 });
    subject.series('app.a', 'c', [...GLOBAL, ['user', 'u1']], 1)?.add(1);
    subject.series('app.b', 'c', [...GLOBAL, ['user', 'u2']], 1)?.add(1);
    expect(subject.drainLines(1432).sort()).toEqual([
      'app.a:1|c|#env:test,user:u1',
      'app.b:1|c|#env:test,user:u2',
    ]);
    expect(settings.onCardinalityLimit).not.toHaveBeenCalled();
  });

  it('warns once per metric name when its tag-combination limit is reached', () => {
    const { aggregator: subject, settings } = aggregator({ maxTagCombinations: 1 });
    for (const name of ['app.a', 'app.b']) {
      for (const user of ['u1', 'u2', 'u3', 'u4']) subject.series(name, 'c', [['user', user]], 0);
    }
    expect(settings.onCardinalityLimit.mock.calls).toEqual([['app.a'], ['app.b']]);
  });

  it('drops series of new names beyond the name limit and counts them', () => {
    const { aggregator: subject } = aggregator({ maxMetricNames: 2 });
    subject.series('app.a', 'c', GLOBAL, 1)?.add(1);
    subject.series('app.b', 'c', GLOBAL, 1)?.add(1);
    expect(subject.series('app.c', 'c', GLOBAL, 1)).toBeUndefined();
    expect(subject.series('app.d', 'ms', GLOBAL, 1)).toBeUndefined();
    expect(subject.droppedForNameLimit).toBe(2);
    expect(subject.drainLines(1432).sort()).toEqual(['app.a:1|c|#env:test', 'app.b:1|c|#env:test']);
  });

  it('keeps accepting new tags and types of names it already has at the name limit', () => {
    const { aggregator: subject } = aggregator({ maxMetricNames: 1 });
    subject.series('app.a', 'c', GLOBAL, 1);
    expect(subject.series('app.a', 'ms', [...GLOBAL, ['k', 'v']], 1)).toBeDefined();
  });

  it('warns once when the name limit is reached', () => {
    const { aggregator: subject, settings } = aggregator({ maxMetricNames: 1 });
    for (const name of ['app.a', 'app.b', 'app.c', 'app.d']) subject.series(name, 'c', [], 0);
    expect(settings.onNameLimit).toHaveBeenCalledTimes(1);
  });
});
