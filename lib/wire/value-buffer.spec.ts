import { ValueBuffer } from './value-buffer';

describe('ValueBuffer', () => {
  it('gives back every value in the order received, across growth', () => {
    const buffer = new ValueBuffer();
    const sent = Array.from({ length: 1000 }, (_, index) => index / 7);
    for (const value of sent) buffer.push(value);
    expect(buffer.length).toBe(1000);
    expect(buffer.drain((value) => value)).toEqual(sent);
  });

  it('is empty after a drain, and keeps working', () => {
    const buffer = new ValueBuffer();
    for (let index = 0; index < 300; index++) buffer.push(index);
    buffer.drain(String);
    expect(buffer.length).toBe(0);
    expect(buffer.drain(String)).toEqual([]);
    buffer.push(-1.5);
    expect(buffer.drain(String)).toEqual(['-1.5']);
  });

  it('keeps every value through the intervals after a burst, while its storage shrinks', () => {
    const buffer = new ValueBuffer();
    for (let index = 0; index < 100_000; index++) buffer.push(index);
    expect(buffer.drain((value) => value)).toHaveLength(100_000);
    for (let interval = 0; interval < 20; interval++) {
      const sent = [interval, interval + 0.5, -interval];
      for (const value of sent) buffer.push(value);
      expect(buffer.drain((value) => value)).toEqual(sent);
    }
  });
});
