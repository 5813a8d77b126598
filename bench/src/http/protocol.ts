/** Messages between the runner and a benchmark server over the Node IPC channel. */
export type ServerCommand =
  | { cmd: 'mark'; id: number }
  | { cmd: 'report'; id: number }
  | { cmd: 'flush'; id: number }
  | { cmd: 'sample'; id: number };

export interface ReadyMessage {
  type: 'ready';
  pid: number;
  port: number;
  /** Names that must carry one value per request on the wire. */
  wirePerRequest: string[];
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface ReportMessage extends MemorySample {
  type: 'report';
  id: number;
  /** CPU time of the whole server process since `mark`, in µs. */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Requests received since `mark`. */
  requests: number;
  elapsedMs: number;
  /** Peak resident set size of the process so far, in KiB (getrusage). */
  maxRssKb: number;
}

export interface FlushedMessage {
  type: 'flushed';
  id: number;
  /** Requests received since the server started (warm-up included). */
  totalRequests: number;
  /** Observations recorded in-process, for variants that keep metrics in memory. */
  recorded?: number;
  /** The variant's client counters, when it has some (nestjs-statsd's stats()). */
  clientStats?: Record<string, number>;
}

export interface SampleMessage extends MemorySample {
  type: 'sample';
  id: number;
  totalRequests: number;
}

export type ServerMessage = ReadyMessage | ReportMessage | FlushedMessage | SampleMessage;
