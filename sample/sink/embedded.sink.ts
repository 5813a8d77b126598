import { MetricsStore, type RequestMetricNames } from './metrics.store';
import { SinkReporter } from './sink.reporter';
import { SinkServer, type SinkAddress } from './sink.server';

export interface EmbeddedSinkOptions {
  readonly requestMetrics: RequestMetricNames;
  /** Tag keys on every metric (global tags), left out of the "other metrics" table. */
  readonly hiddenTags: readonly string[];
  readonly header: () => readonly string[];
  readonly output: NodeJS.WriteStream;
  readonly preferredPort?: number;
}

/** The running sink: its address, and a way to print a last table and stop. */
export interface EmbeddedSink {
  readonly address: SinkAddress;
  /** Prints the tables now, whatever the output is. */
  print(): void;
  /** Prints the tables once more (whatever the output is) and closes the socket. */
  close(): Promise<void>;
}

/** Starts the sample's StatsD sink: UDP server, aggregation, and the refreshing table. */
export async function startEmbeddedSink(options: EmbeddedSinkOptions): Promise<EmbeddedSink> {
  const store = new MetricsStore(options.requestMetrics, new Set(options.hiddenTags));
  const server = new SinkServer(store);
  const address = await server.listen('127.0.0.1', options.preferredPort ?? 8125);
  const reporter = new SinkReporter(store, { output: options.output, header: options.header });
  reporter.start();
  return {
    address,
    print: () => reporter.print(true),
    async close() {
      reporter.stop();
      reporter.print(true);
      await server.close();
    },
  };
}
