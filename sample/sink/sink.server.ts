import { createSocket, type Socket } from 'node:dgram';
import { parseDatagram } from './dogstatsd.parser';
import type { MetricsStore } from './metrics.store';

/** Where the sink listens. */
export interface SinkAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A tiny DogStatsD server for the sample: receives UDP datagrams on the loopback interface and
 * feeds every metric line into a {@link MetricsStore}. Not a real agent: nothing is forwarded.
 */
export class SinkServer {
  private socket: Socket | undefined;

  constructor(private readonly store: MetricsStore) {}

  /** Binds `host:preferredPort`, or a free port chosen by the OS when that one is taken. */
  async listen(host = '127.0.0.1', preferredPort = 8125): Promise<SinkAddress> {
    try {
      this.socket = await bind(host, preferredPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.socket = await bind(host, 0);
    }
    this.socket.on('message', (datagram) => this.receive(datagram));
    return { host, port: this.socket.address().port };
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private receive(datagram: Buffer): void {
    const { metrics, skipped } = parseDatagram(datagram.toString('utf8'));
    this.store.skipped += skipped;
    for (const metric of metrics) this.store.add(metric);
  }
}

function bind(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
