import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { UdpCollector } from './udp-collector';

describe('UdpCollector', () => {
  let collector: UdpCollector;
  let sender: Socket;

  beforeEach(async () => {
    collector = await UdpCollector.start();
    sender = createSocket('udp4');
  });

  afterEach(async () => {
    sender.close();
    await collector.close();
  });

  const send = (text: string): Promise<void> =>
    new Promise((resolve, reject) =>
      sender.send(text, collector.port, '127.0.0.1', (error) =>
        error ? reject(error) : resolve(),
      ),
    );

  it('listens on 127.0.0.1 on a port chosen by the OS', () => {
    expect(collector.host).toBe('127.0.0.1');
    expect(collector.port).toBeGreaterThan(0);
  });

  it('keeps each datagram and splits it into non-empty lines', async () => {
    await send('a:1|c\nb:2|ms\n');
    await send('c:3|g');
    await collector.waitForLines(3);
    expect(collector.datagrams).toEqual(['a:1|c\nb:2|ms\n', 'c:3|g']);
    expect(collector.lines).toEqual(['a:1|c', 'b:2|ms', 'c:3|g']);
  });

  it('resolves a predicate wait with the lines received so far', async () => {
    await send('noise:1|c');
    await send('wanted:1|c');
    const lines = await collector.waitForLines((all) => all.includes('wanted:1|c'));
    expect(lines).toContain('wanted:1|c');
  });

  it('resolves at once when the condition already holds', async () => {
    await send('a:1|c');
    await collector.waitForLines(1);
    await expect(collector.waitForLines(1, { timeoutMs: 1 })).resolves.toEqual(['a:1|c']);
  });

  it('rejects on timeout with the lines it did receive', async () => {
    await send('only:1|c');
    await collector.waitForLines(1);
    await expect(collector.waitForLines(2, { timeoutMs: 30 })).rejects.toThrow(
      /timed out after 30 ms waiting for at least 2 line\(s\); received 1 datagram\(s\), 1 line\(s\):\n {2}"only:1\|c"/,
    );
  });

  it('rejects when the predicate throws', async () => {
    await expect(
      collector.waitForLines(() => {
        throw new Error('bad predicate');
      }),
    ).rejects.toThrow('bad predicate');
  });

  it('forgets everything on clear()', async () => {
    await send('a:1|c');
    await collector.waitForLines(1);
    collector.clear();
    expect(collector.lines).toEqual([]);
    expect(collector.datagrams).toEqual([]);
  });

  it('rejects pending waits when closed', async () => {
    const pending = collector.waitForLines(1, { timeoutMs: 5000 });
    await collector.close();
    await expect(pending).rejects.toThrow(
      'UdpCollector closed while waiting for at least 1 line(s)',
    );
  });

  it('returns copies, so callers cannot change what it recorded', async () => {
    await send('a:1|c');
    await collector.waitForLines(1);
    (collector.lines as string[]).push('forged');
    expect(collector.lines).toEqual(['a:1|c']);
  });
});
