import { StatsD } from 'hot-shots';
import type { ResolvedStatsdOptions } from '../options/resolved-options';

/** The part of hot-shots' client we send through: its socket handling, not its formatting. */
interface RawSendingClient {
  sendMessage(message: string, callback?: (error?: Error | null) => void): void;
  mock?: boolean;
  mockBuffer?: string[];
}

/**
 * Sends finished datagrams through a hot-shots client's connection (UDP, TCP or UDS). Lines are
 * formatted and sanitized by us; hot-shots only owns the socket, DNS caching and reconnects.
 */
export class HotShotsTransport {
  readonly client: StatsD;
  private readonly owned: boolean;
  private closed = false;

  constructor(options: ResolvedStatsdOptions, private readonly onError: (error: unknown) => void) {
    this.owned = options.client === undefined;
    this.client =
      options.client ??
      new StatsD({
        host: options.host,
        port: options.port,
        protocol: options.protocol,
        path: options.path,
        mock: options.mock,
        // We buffer and pack ourselves; hot-shots' buffer would re-split our datagrams.
        maxBufferSize: 0,
        cacheDns: true,
        // Datadog mode (turned on by any DD_* variable) appends fields to lines we already
        // formatted and starts telemetry; the module's options decide what is sent instead.
        datadog: false,
        includeDatadogTelemetry: false,
        errorHandler: (error: Error) => this.onError(error),
      } as ConstructorParameters<typeof StatsD>[0]);
  }

  /** Sends one datagram; failures go to the error callback, never to the caller. */
  send(datagram: string): void {
    if (this.closed) return;
    const client = this.client as unknown as RawSendingClient;
    if (client.mock) {
      (client.mockBuffer ??= []).push(...datagram.split('\n'));
      return;
    }
    try {
      client.sendMessage(datagram, (error) => {
        if (error) this.onError(error);
      });
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Closes the connection if we opened it, waiting at most `timeoutMs` (hot-shots' close never
   * calls back on a dead TCP connection). A client passed in by the user is left open.
   */
  close(timeoutMs: number): Promise<'closed' | 'timed-out'> {
    if (this.closed || !this.owned) {
      this.closed = true;
      return Promise.resolve('closed');
    }
    this.closed = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timed-out'), timeoutMs);
      timer.unref();
      try {
        this.client.close(() => {
          clearTimeout(timer);
          resolve('closed');
        });
      } catch (error) {
        clearTimeout(timer);
        this.onError(error);
        resolve('closed');
      }
    });
  }
}
