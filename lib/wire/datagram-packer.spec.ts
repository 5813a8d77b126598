import { packDatagrams } from './datagram-packer';

describe('packDatagrams', () => {
  it('joins lines with newlines into one datagram when they fit', () => {
    expect(packDatagrams(['a:1|c', 'b:2|c'], 100)).toEqual({
      datagrams: ['a:1|c\nb:2|c'],
      oversized: 0,
    });
  });

  it('returns nothing for no lines', () => {
    expect(packDatagrams([], 100)).toEqual({ datagrams: [], oversized: 0 });
  });

  it('fills datagrams up to exactly the limit, counting the newline', () => {
    const line = 'x'.repeat(49);
    const { datagrams } = packDatagrams([line, line, line], 99);
    expect(datagrams).toEqual([`${line}\n${line}`, line]);
    expect(Buffer.byteLength(datagrams[0] as string)).toBe(99);
  });

  it('keeps every datagram within the limit in bytes with multi-byte characters', () => {
    // 30 characters but 60 bytes each: a character count would put 3 per 100-character datagram.
    const line = '\u00e9'.repeat(30);
    const { datagrams } = packDatagrams(
      Array.from({ length: 10 }, () => line),
      125,
    );
    for (const datagram of datagrams) expect(Buffer.byteLength(datagram)).toBeLessThanOrEqual(125);
    expect(datagrams.join('\n').split('\n')).toHaveLength(10);
  });

  it('keeps lines whole and in order', () => {
    const lines = Array.from({ length: 200 }, (_, index) => `metric.${index}:${index}|ms|#k:v`);
    const { datagrams } = packDatagrams(lines, 512);
    expect(datagrams.length).toBeGreaterThan(1);
    expect(datagrams.flatMap((datagram) => datagram.split('\n'))).toEqual(lines);
  });

  it('drops and counts a line larger than the limit, sending the others', () => {
    const { datagrams, oversized } = packDatagrams(['a:1|c', 'b'.repeat(200), 'c:1|c'], 100);
    expect(datagrams).toEqual(['a:1|c\nc:1|c']);
    expect(oversized).toBe(1);
  });

  it('drops a line that fits in characters but not in bytes', () => {
    const { datagrams, oversized } = packDatagrams([`t:1|c|#k:${'\u20ac'.repeat(40)}`], 100);
    expect(datagrams).toEqual([]);
    expect(oversized).toBe(1);
  });
});
