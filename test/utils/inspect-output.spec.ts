import { inspect } from 'node:util';
import fc from 'fast-check';
import { parseInspectOutput } from './inspect-output';

describe('parseInspectOutput', () => {
  it('reads what the daemon prints for counters', () => {
    const text =
      "{\n  'statsd.bad_lines_seen': 1,\n  foo: 1,\n  'tagged;env=prod;a': 2,\n  big: 1e+21,\n  inf: Infinity\n}";
    expect(parseInspectOutput(text)).toEqual({
      'statsd.bad_lines_seen': 1,
      foo: 1,
      'tagged;env=prod;a': 2,
      big: 1e21,
      inf: Infinity,
    });
  });

  it('reads keys quoted with any quote, escapes, and the bracketed "__proto__" key', () => {
    const record: Record<string, number> = { 'a\'b"c': 1, 'x`\'"': 2, '\u{1F600}\ud800\n': 3 };
    Object.defineProperty(record, '__proto__', { value: 4, enumerable: true });
    const parsed = parseInspectOutput(inspect(record));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.entries(parsed)).toEqual(Object.entries(record));
  });

  it('reads empty objects and arrays', () => {
    expect(parseInspectOutput('{ a: [], b: {} }')).toEqual({ a: [], b: {} });
  });

  it('refuses arrays cut short by util.inspect', () => {
    expect(() =>
      parseInspectOutput(inspect({ long: Array.from({ length: 120 }, (_, i) => i) })),
    ).toThrow('output truncated by util.inspect');
  });

  it('refuses trailing text and unknown values', () => {
    expect(() => parseInspectOutput('{ a: 1 } x')).toThrow('trailing text');
    expect(() => parseInspectOutput("{ a: 'text' }")).toThrow('expected a number');
  });

  it('reads back anything util.inspect prints for records of numbers and number lists', () => {
    const key = fc.string({ minLength: 1, maxLength: 12 });
    const number = fc.oneof(fc.double(), fc.integer());
    const value = fc.oneof(number, fc.array(number, { maxLength: 100 }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { noNullPrototype: true }), (record) => {
        expect(parseInspectOutput(inspect(record))).toEqual(record);
      }),
    );
  });
});
