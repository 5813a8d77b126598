import fc from 'fast-check';
import {
  parseDatagram,
  parseDogStatsdLine,
  parseEtsyLine,
  parseLine,
  parseTelegrafLine,
  StatsdLineError,
  tryParseLine,
} from './statsd-line-parser';
import type { StatsdFlavor } from './statsd-line-parser';

describe('parseDogStatsdLine', () => {
  it.each([
    ['hits:1|c', { name: 'hits', values: [1], type: 'c', tags: {} }],
    ['temp:-3.5|g', { name: 'temp', values: [-3.5], type: 'g', tags: {} }],
    [
      'db.query:12.25|ms|@0.5',
      { name: 'db.query', values: [12.25], type: 'ms', sampleRate: 0.5, tags: {} },
    ],
    ['size:1:2:3|d', { name: 'size', values: [1, 2, 3], type: 'd', tags: {} }],
    ['lat:1e3|h', { name: 'lat', values: [1000], type: 'h', tags: {} }],
    ['users:alice:bob|s', { name: 'users', values: ['alice', 'bob'], type: 's', tags: {} }],
  ])('reads %j', (line, expected) => {
    expect(parseDogStatsdLine(line)).toEqual(expected);
  });

  it('reads tags, keeping everything after the first ":" as the value and "" for bare tags', () => {
    expect(parseDogStatsdLine('http.request:5|ms|#route:/users/:id,env:prod,canary').tags).toEqual({
      route: '/users/:id',
      env: 'prod',
      canary: '',
    });
  });

  it('reads the container id and timestamp in any order after the type', () => {
    expect(parseDogStatsdLine('x:1|c|T1700000000|c:abc123|#a:b|@1')).toEqual({
      name: 'x',
      values: [1],
      type: 'c',
      sampleRate: 1,
      tags: { a: 'b' },
      containerId: 'abc123',
      timestamp: 1700000000,
    });
  });

  it('stores a "__proto__" tag as data without touching the prototype', () => {
    const { tags } = parseDogStatsdLine('x:1|c|#__proto__:polluted');
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['__proto__']);
  });

  it.each([
    ['', 'missing ":"'],
    [':1|c', 'empty metric name'],
    ['hits|c', 'missing ":"'],
    ['hits:1', 'missing "|type"'],
    ['hits:1|x', 'unknown metric type "x"'],
    ['hits:1|C', 'unknown metric type "C"'],
    ['hits:|c', 'is not a decimal number'],
    ['hits:NaN|c', 'is not a decimal number'],
    ['hits:Infinity|c', 'is not a decimal number'],
    ['hits:1e400|c', 'is not finite'],
    ['hits:0x10|c', 'is not a decimal number'],
    ['hits: 1|c', 'is not a decimal number'],
    ['t:-1|ms', 'timing -1 is negative'],
    ['hits:1::2|d', 'is not a decimal number'],
    ['hits:1|c|@0', 'outside (0, 1]'],
    ['hits:1|c|@1.5', 'outside (0, 1]'],
    ['hits:1|c|@', 'is not a number'],
    ['hits:1|c|@0.5|@0.5', 'field "@" appears twice'],
    ['hits:1|c|#', 'empty tag list'],
    ['hits:1|c|#a,,b', 'empty tag in tag list'],
    ['hits:1|c|#a:1,a:2', 'duplicate tag key "a"'],
    ['hits:1|c|#:v', 'empty key'],
    ['hits:1|c|#a b', 'has whitespace'],
    ['hits:1|c|c:', 'empty container id'],
    ['hits:1|c|T', 'not a positive integer'],
    ['hits:1|c|T12.5', 'not a positive integer'],
    ['hits:1|c|extra', 'stray field "extra"'],
    ['hits:1|c|', 'stray field ""'],
    ['my hits:1|c', 'metric name contains " "'],
    ['hits\t:1|c', 'metric name contains "\\t"'],
    ['s:|s', 'empty set member'],
    ['_sc|svc|0', 'missing ":"'],
  ])('rejects %j (%s)', (line, reason) => {
    expect(() => parseDogStatsdLine(line)).toThrow(StatsdLineError);
    expect(() => parseDogStatsdLine(line)).toThrow(reason);
  });

  it('names the flavor and quotes the line in its error', () => {
    expect(() => parseDogStatsdLine('hits:1|zz')).toThrow(
      'Invalid dogstatsd line "hits:1|zz": unknown metric type "zz" (expected c, g, ms, h, d, s)',
    );
  });
});

describe('parseEtsyLine', () => {
  it('reads one metric per ":" group, each with its own type and rate', () => {
    expect(parseEtsyLine('api:1|c:2|c|@0.1:300|ms')).toEqual([
      { name: 'api', values: [1], type: 'c', tags: {} },
      { name: 'api', values: [2], type: 'c', sampleRate: 0.1, tags: {} },
      { name: 'api', values: [300], type: 'ms', tags: {} },
    ]);
  });

  it('keeps the sign of a gauge value (a delta for Etsy StatsD)', () => {
    expect(parseEtsyLine('queue:+4|g')[0]?.values).toEqual([4]);
    expect(parseEtsyLine('queue:-4|g')[0]?.values).toEqual([-4]);
  });

  it.each([
    ['api:1|c|#env:prod', 'tags ("|#") are not part of Etsy StatsD'],
    ['api:1|h', 'unknown metric type "h"'],
    ['api:1|d', 'unknown metric type "d"'],
    ['api', 'missing ":"'],
    ['api:1|c|@0.5|x', 'stray field "x"'],
    ['api:1|c:', 'missing "|type"'],
    ['api:1|c|0.5', 'expected "@rate"'],
  ])('rejects %j (%s)', (line, reason) => {
    expect(() => parseEtsyLine(line)).toThrow(reason);
  });
});

describe('parseTelegrafLine', () => {
  it('reads Influx-style tags after the name', () => {
    expect(parseTelegrafLine('http.request,method=GET,status=200:12|ms')).toEqual([
      { name: 'http.request', values: [12], type: 'ms', tags: { method: 'GET', status: '200' } },
    ]);
  });

  it('gives every value group the line tags', () => {
    const metrics = parseTelegrafLine('d,env=prod:1|d:2|d');
    expect(metrics.map((metric) => [metric.values, metric.tags])).toEqual([
      [[1], { env: 'prod' }],
      [[2], { env: 'prod' }],
    ]);
  });

  it.each([
    ['r,route=/users/:id:1|c', 'missing "|type" in "id"'],
    ['r,env:1|c', 'tag "env" is not "key=value"'],
    ['r,env=:1|c', 'is not "key=value"'],
    ['r,=prod:1|c', 'empty key'],
    ['r,a=b=c:1|c', 'is not "key=value"'],
    ['r,env=a,env=b:1|c', 'duplicate tag key "env"'],
    [',env=a:1|c', 'empty metric name'],
    ['r:1|c|#env:prod', 'expected "@rate"'],
  ])('rejects %j (%s)', (line, reason) => {
    expect(() => parseTelegrafLine(line)).toThrow(reason);
  });
});

describe('parseLine, tryParseLine and parseDatagram', () => {
  it('dispatches by flavor', () => {
    expect(parseLine('a,k=v:1|c', 'telegraf')[0]?.tags).toEqual({ k: 'v' });
    expect(() => parseLine('a,k=v:1|c', 'statsd')).not.toThrow();
    expect(parseLine('a:1|c|#k:v', 'dogstatsd')[0]?.tags).toEqual({ k: 'v' });
  });

  it('returns the error instead of throwing', () => {
    const result = tryParseLine('a:1|q', 'statsd');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.reason).toBe('unknown metric type "q" (expected c, ms, g, s)');
  });

  it('parses every line of a datagram, allowing one trailing newline', () => {
    expect(parseDatagram('a:1|c\nb:2:3|d\n', 'dogstatsd').map((metric) => metric.name)).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects empty lines inside a datagram', () => {
    expect(() => parseDatagram('a:1|c\n\nb:1|c', 'statsd')).toThrow('empty metric name');
  });
});

describe('parser properties', () => {
  const flavors: StatsdFlavor[] = ['dogstatsd', 'statsd', 'telegraf'];
  const word = fc.stringMatching(/^[a-z][a-z0-9_.]{0,15}$/);

  it('throws nothing but StatsdLineError, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom(...flavors),
        (line, flavor) => {
          const result = tryParseLine(line, flavor);
          if (result.ok) expect(result.metrics.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('reads back the name, values and tags of any well-formed DogStatsD line', () => {
    const tags = fc.dictionary(word, word, { maxKeys: 4 });
    const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(word, values, tags, (name, numbers, tagMap) => {
        const tagText = Object.entries(tagMap)
          .map(([key, value]) => `${key}:${value}`)
          .join(',');
        const line = `${name}:${numbers.join(':')}|d${tagText ? `|#${tagText}` : ''}`;
        expect(parseDogStatsdLine(line)).toEqual({
          name,
          values: numbers.map((n) => (Object.is(n, -0) ? 0 : n)),
          type: 'd',
          tags: tagMap,
        });
      }),
    );
  });
});
