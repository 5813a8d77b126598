import { sleep } from '../common/proc';
import { udpReceiveBufferErrors } from '../common/udp-drops';
import type { UdpSink } from '../sink/udp-sink';
import { handlerSetup, type HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import { collectDelivery, type Delivery, type WireFigures } from './delivery';
import { runLoad } from './load';
import type { LoadResult } from './loadgen';
import { serverOnFreePorts } from './server-handle';

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
  wire: WireFigures;
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
  const server = await serverOnFreePorts({
    adapter: o.adapter,
    variant: o.variant,
    handler: o.handler,
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
    const { delivery, wire } = await collectDelivery(server, ready, sink, drops0);
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
      delivery,
      wire,
    };
  } finally {
    await server.stop();
  }
}
