import { freePort } from '../common/ports';
import { sleep } from '../common/proc';
import { udpReceiveBufferErrors } from '../common/udp-drops';
import type { UdpSink } from '../sink/udp-sink';
import { handlerSetup, type HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import { runLoad } from './load';
import type { LoadResult } from './loadgen';
import { ServerHandle } from './server-handle';

export interface RunOptions {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  warmupS: number;
  durationS: number;
  connections: number;
  serverCpu?: number;
  loadCpu?: number;
  /** Directory for a V8 CPU profile of the server (node --cpu-prof), one file per run. */
  profileDir?: string;
}

export interface Delivery {
  /** Requests the server received over its life (warm-up included): each name must carry as many values. */
  requests: number;
  /** Values received on the wire, per expected name. */
  received: Record<string, number>;
  /** Observations counted in-process, for in-memory variants (Prometheus, OpenTelemetry). */
  recorded?: number;
  /** The client's own counters at the end of the run (nestjs-statsd: datagrams sent, drops). */
  clientStats?: Record<string, number>;
  ok: boolean;
}

export interface RunResult {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  round: number;
  order: number;
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Server CPU time (user + system) per request over the measured window. */
  cpuUsPerReq: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  windowRequests: number;
  /**
   * Server CPU seconds per second of load: ≈1 when the server had its core to itself and was
   * the bottleneck; well below 1 means it was starved (shared machine) or the load generator was.
   */
  serverCoreShare: number;
  peakRssMb: number;
  load: LoadResult;
  delivery: Delivery;
  wire: {
    datagrams: number;
    bytes: number;
    values: number;
    bytesPer1000Req: number;
    datagramsPer1000Req: number;
    /** UDP datagrams the kernel dropped at a full receive buffer during the run (machine-wide). */
    kernelDrops?: number;
  };
}

/** Starts a fresh server, warms it up, measures one window, checks delivery, stops the server. */
export async function runOne(
  o: RunOptions,
  sink: UdpSink,
  round: number,
  order: number,
): Promise<RunResult> {
  sink.reset();
  const drops0 = udpReceiveBufferErrors();
  const server = new ServerHandle({
    adapter: o.adapter,
    variant: o.variant,
    handler: o.handler,
    port: await freePort(),
    auxPort: await freePort(),
    statsdPort: sink.port,
    cpu: o.serverCpu,
    nodeArgs: o.profileDir
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          o.profileDir,
          '--cpu-prof-name',
          `${o.adapter}-${o.handler}-${o.variant}-r${round + 1}.cpuprofile`,
        ]
      : undefined,
  });
  try {
    const ready = await server.start();
    const url = `http://127.0.0.1:${ready.port}${handlerSetup(o.handler).path}`;
    if (o.warmupS > 0)
      await runLoad({ url, connections: o.connections, duration: o.warmupS }, o.loadCpu);
    await sleep(100);
    await server.request('mark', 'sample');
    const load = await runLoad(
      { url, connections: o.connections, duration: o.durationS },
      o.loadCpu,
    );
    const report = await server.request('report', 'report');
    // Requests cut off when autocannon stopped still complete (and get recorded) on the server.
    await sleep(200);
    const flushed = await server.request('flush', 'flushed');
    const names = ready.wirePerRequest;
    const total = flushed.totalRequests;
    const snap = await sink.waitFor(
      (s) => names.every((n) => (s.byName[n] ?? 0) >= total),
      names.length ? 500 : 0,
      names.length ? 5000 : 0,
    );
    const drops1 = udpReceiveBufferErrors();
    const received = Object.fromEntries(names.map((n) => [n, snap.byName[n] ?? 0]));
    const wireOk = names.every((n) => received[n] === total);
    const recordedOk = flushed.recorded === undefined || flushed.recorded === total;
    const cpuUs = report.cpuUserUs + report.cpuSystemUs;
    return {
      adapter: o.adapter,
      handler: o.handler,
      variant: o.variant,
      round,
      order,
      rps: load.rps,
      latencyP50Ms: load.latencyP50Ms,
      latencyP99Ms: load.latencyP99Ms,
      cpuUsPerReq: report.requests > 0 ? cpuUs / report.requests : NaN,
      cpuUserUs: report.cpuUserUs,
      cpuSystemUs: report.cpuSystemUs,
      windowRequests: report.requests,
      serverCoreShare: cpuUs / 1e6 / load.durationS,
      peakRssMb: report.maxRssKb / 1024,
      load,
      delivery: {
        requests: total,
        received,
        recorded: flushed.recorded,
        clientStats: flushed.clientStats,
        ok: wireOk && recordedOk,
      },
      wire: {
        datagrams: snap.datagrams,
        bytes: snap.bytes,
        values: snap.values,
        bytesPer1000Req: total > 0 ? (snap.bytes / total) * 1000 : 0,
        datagramsPer1000Req: total > 0 ? (snap.datagrams / total) * 1000 : 0,
        kernelDrops: drops0 === undefined || drops1 === undefined ? undefined : drops1 - drops0,
      },
    };
  } finally {
    await server.stop();
  }
}
