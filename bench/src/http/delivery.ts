import { sleep } from '../common/proc';
import { udpReceiveBufferErrors } from '../common/udp-drops';
import type { UdpSink } from '../sink/udp-sink';
import type { ReadyMessage } from './protocol';
import type { ServerHandle } from './server-handle';

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

export interface WireFigures {
  datagrams: number;
  bytes: number;
  values: number;
  bytesPer1000Req: number;
  datagramsPer1000Req: number;
  /** UDP datagrams the kernel dropped at a full receive buffer during the run (machine-wide). */
  kernelDrops?: number;
}

/**
 * Flushes a server at the end of its run and checks that every request it received put one value
 * of each per-request metric on the wire. `sink` must have been reset when the server started,
 * `drops0` read then.
 */
export async function collectDelivery(
  server: ServerHandle,
  ready: ReadyMessage,
  sink: UdpSink,
  drops0: number | undefined,
): Promise<{ delivery: Delivery; wire: WireFigures }> {
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
  return {
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
}
