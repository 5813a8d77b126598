import { StatsD } from 'hot-shots';
import type { ResolvedStatsdOptions } from '../options/resolved-options';

/** The part of hot-shots' client we send through: its socket handling, not its formatting. */
interface RawSendingClient {
  sendMessage(message: string, callback?: (error?: Error | null) => void): void;
  mock?: boolean;
  mockBuffer?: string[];
}

/** Bytes handed to the socket and not yet confirmed written, beyond which datagrams are dropped. */
export const MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;
const FIRST_RECONNECT_DELAY_MS = 500;
const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * Sends finished datagrams through a hot-shots client's connection (UDP, TCP or UDS). Lines are
 * formatted and sanitized by us; hot-shots only owns the socket and DNS caching.
 *
 * Two things hot-shots does not do are done here: bytes waiting on a connection that does not
 * drain (a TCP peer that never reads) are capped, and beyond the cap datagrams are dropped and
 * counted; and a TCP or UDS connection that failed is rebuilt with a backoff, so metrics resume
 * when the agent comes back.
 */
export class HotShotsTransport {
  private current: StatsD;
  private readonly owned: boolean;
  private closed = false;
  private generation = 0;
  private inFlightBytes = 0;
  private reconnectDelay = FIRST_RECONNECT_DELAY_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Datagrams dropped because too many bytes were waiting on the connection. */
  droppedDatagrams = 0;
  /** Connections rebuilt after an error. */
  reconnects = 0;

  constructor(
    private readonly options: ResolvedStatsdOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.owned = options.client === undefined;
    this.current = options.client ?? this.createClient();
  }

  /** The hot-shots client currently in use. */
  get client(): StatsD {
    return this.current;
  }

  /**
   * Sends one datagram; failures go to the error callback, never to the caller.
   * @returns whether it was handed to the socket (false: closed, or dropped at the cap).
   */
  send(datagram: string): boolean {
    if (this.closed) return false;
    const client = this.current as unknown as RawSendingClient;
    if (client.mock) {
      (client.mockBuffer ??= []).push(...datagram.split('\n'));
      return true;
    }
    const bytes = Buffer.byteLength(datagram);
    if (this.inFlightBytes + bytes > MAX_IN_FLIGHT_BYTES) {
      this.droppedDatagrams++;
      return false;
    }
    this.inFlightBytes += bytes;
    const generation = this.generation;
    try {
      client.sendMessage(datagram, (error) => {
        if (generation !== this.generation) return;
        this.inFlightBytes -= bytes;
        if (error) this.failed(error);
        else this.reconnectDelay = FIRST_RECONNECT_DELAY_MS;
      });
    } catch (error) {
      this.inFlightBytes -= bytes;
      this.failed(error);
      return false;
    }
    return true;
  }

  /**
   * Closes the connection if we opened it, waiting at most `timeoutMs` (hot-shots' close never
   * calls back on a dead TCP connection). A client passed in by the user is left open.
   */
  close(timeoutMs: number): Promise<'closed' | 'timed-out'> {
    if (this.closed) return Promise.resolve('closed');
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    if (!this.owned) return Promise.resolve('closed');
    return closeWithin(this.current, timeoutMs, this.onError);
  }

  private failed(error: unknown): void {
    this.onError(error);
    if (!this.owned || this.closed || this.options.protocol === 'udp' || this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => this.reconnect(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
  }

  private reconnect(): void {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    const previous = this.current;
    this.generation++;
    this.inFlightBytes = 0;
    this.reconnects++;
    try {
      this.current = this.createClient();
    } catch (error) {
      this.failed(error);
      return;
    }
    void closeWithin(previous, 1000, () => undefined);
  }

  private createClient(): StatsD {
    const { host, port, protocol, path, mock } = this.options;
    return new StatsD({
      host,
      port,
      protocol,
      path,
      mock,
      // We buffer and pack ourselves; hot-shots' buffer would re-split our datagrams.
      maxBufferSize: 0,
      cacheDns: true,
      // Datadog mode (turned on by any DD_* variable) appends fields to lines we already
      // formatted and starts telemetry; the module's options decide what is sent instead.
      datadog: false,
      includeDatadogTelemetry: false,
      errorHandler: (error: Error) => this.failed(error),
    } as ConstructorParameters<typeof StatsD>[0]);
  }
}

function closeWithin(client: StatsD, timeoutMs: number, onError: (error: unknown) => void): Promise<'closed' | 'timed-out'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timed-out'), timeoutMs);
    timer.unref();
    try {
      client.close(() => {
        clearTimeout(timer);
        resolve('closed');
      });
    } catch (error) {
      clearTimeout(timer);
      onError(error);
      resolve('closed');
    }
  });
}
