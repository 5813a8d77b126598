/**
 * The load generator, run as its own process (pinned by the runner to another core than the
 * server): autocannon, programmatic, one JSON line on stdout prefixed with `RESULT `.
 *
 *   node dist/http/loadgen.js '{"url":"http://127.0.0.1:3000/hello/1","connections":50,"duration":5}'
 */
import autocannon = require('autocannon');

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  durationS: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
}

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`loadgen only targets loopback addresses (received "${host}")`);
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  assertLocal(options.url);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    timeout: 10,
  });
  const requests = result.requests.total;
  const out: LoadResult = {
    durationS: result.duration,
    requests,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: requests / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
