import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';

/** Options of {@link UdpCollector.start}. */
export interface UdpCollectorOptions {
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
}

/** Options of {@link UdpCollector.waitForLines}. */
export interface WaitForLinesOptions {
  /** How long to wait before rejecting. @default 2000 */
  timeoutMs?: number;
}

/** Decides from every line received so far whether the wait is over. */
export type LinesPredicate = (lines: readonly string[]) => boolean;

/**
 * A real UDP server on an ephemeral port that keeps every datagram it receives, for asserting
 * the exact lines a client put on the wire.
 * @example
 * const collector = await UdpCollector.start();
 * client.increment('hits'); // sending to collector.port
 * await collector.waitForLines(1);
 * expect(collector.lines).toEqual(['hits:1|c']);
 * await collector.close();
 */
export class UdpCollector {
  private readonly received: string[] = [];
  private readonly splitLines: string[] = [];
  private readonly events = new EventEmitter();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    /** The bound address. */
    readonly host: string,
    /** The bound port, chosen by the OS. */
    readonly port: number,
  ) {
    socket.on('message', (message) => this.record(message.toString('utf8')));
  }

  /** Binds a UDP socket on port 0 and resolves once it is listening. */
  static async start(options: UdpCollectorOptions = {}): Promise<UdpCollector> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpCollector(socket, host, socket.address().port);
  }

  /** Every datagram received, decoded as UTF-8, in arrival order. */
  get datagrams(): readonly string[] {
    return [...this.received];
  }

  /** Every non-empty line of every datagram, in arrival order. */
  get lines(): readonly string[] {
    return [...this.splitLines];
  }

  /** Forgets everything received so far. */
  clear(): void {
    this.received.length = 0;
    this.splitLines.length = 0;
  }

  /**
   * Resolves with the lines received so far as soon as `condition` holds: either a minimum
   * number of lines or a predicate over all lines. Checked now and on each datagram; rejects
   * after `timeoutMs` with the lines received, or when the collector is closed.
   */
  waitForLines(
    condition: number | LinesPredicate,
    options: WaitForLinesOptions = {},
  ): Promise<readonly string[]> {
    const timeoutMs = options.timeoutMs ?? 2000;
    const holds: LinesPredicate =
      typeof condition === 'number' ? (lines) => lines.length >= condition : condition;
    const wanted =
      typeof condition === 'number' ? `at least ${condition} line(s)` : 'the predicate to hold';
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.events.off('datagram', check);
        if (error === undefined) resolve(this.lines);
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
      // A throwing predicate rejects the wait instead of escaping from the socket's event handler.
      const check = (): void => {
        try {
          if (this.closed) finish(new Error(`UdpCollector closed while waiting for ${wanted}`));
          else if (holds(this.splitLines)) finish();
        } catch (error) {
          finish(error);
        }
      };
      const timer = setTimeout(
        () => finish(new Error(this.describeTimeout(wanted, timeoutMs))),
        timeoutMs,
      );
      this.events.on('datagram', check);
      check();
    });
  }

  /** Closes the socket; pending waits reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.emit('datagram');
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private record(text: string): void {
    this.received.push(text);
    for (const line of text.split('\n')) if (line.length > 0) this.splitLines.push(line);
    this.events.emit('datagram');
  }

  private describeTimeout(wanted: string, timeoutMs: number): string {
    const shown = this.splitLines.map((line) => `  ${JSON.stringify(line)}`).join('\n');
    return (
      `UdpCollector on ${this.host}:${this.port}: timed out after ${timeoutMs} ms waiting for ${wanted}; ` +
      `received ${this.received.length} datagram(s), ${this.splitLines.length} line(s)` +
      (shown ? `:\n${shown}` : '')
    );
  }
}
