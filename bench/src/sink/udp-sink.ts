import { createSocket, type Socket } from 'node:dgram';
import { countDatagram, type ValueCounts } from './parse';

export interface SinkSnapshot {
  datagrams: number;
  bytes: number;
  values: number;
  /** Values received per metric name. */
  byName: Record<string, number>;
}

/**
 * A UDP StatsD sink on 127.0.0.1. During a load run it only keeps the datagrams (cheap); they
 * are parsed when a snapshot is taken, so parsing does not compete with the load generator.
 */
export class UdpSink {
  private socket?: Socket;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private counts: ValueCounts = new Map();
  private datagrams = 0;
  private bytes = 0;
  private values = 0;
  private lastReceiveAt = 0;

  port = 0;

  async start(port = 0): Promise<number> {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    this.socket = socket;
    socket.on('message', (msg) => {
      this.datagrams++;
      this.bytes += msg.length;
      this.lastReceiveAt = Date.now();
      this.pending.push(msg);
      this.pendingBytes += msg.length;
      // Bound memory: past 64 MB parse in place.
      if (this.pendingBytes > 64 * 1024 * 1024) this.drain();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.port = socket.address().port;
    return this.port;
  }

  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.counts = new Map();
    this.datagrams = 0;
    this.bytes = 0;
    this.values = 0;
  }

  snapshot(): SinkSnapshot {
    this.drain();
    return {
      datagrams: this.datagrams,
      bytes: this.bytes,
      values: this.values,
      byName: Object.fromEntries(this.counts),
    };
  }

  /** Resolves once `done(snapshot)` is true, or nothing arrived for `quietMs`, or after `timeoutMs`. */
  async waitFor(
    done: (s: SinkSnapshot) => boolean,
    quietMs = 400,
    timeoutMs = 5000,
  ): Promise<SinkSnapshot> {
    const deadline = Date.now() + timeoutMs;
    const startedAt = Date.now();
    for (;;) {
      const snap = this.snapshot();
      if (done(snap)) return snap;
      const now = Date.now();
      if (now >= deadline) return snap;
      if (now - Math.max(this.lastReceiveAt, startedAt) >= quietMs) return snap;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((r) => socket.close(() => r()));
  }

  private drain(): void {
    for (const msg of this.pending) this.values += countDatagram(msg.toString('utf8'), this.counts);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
