/**
 * Memory soak: RSS and heap of one server, sampled every second over a sustained load, and
 * whether they trend upwards (least-squares slope after a warm-up).
 *
 *   node dist/memory/soak.js [--variant statsd-cpu-attributed] [--adapter express] [--handler hello]
 *     [--duration 60] [--skip 10] [--connections 50] [--out results/soak.json]
 *
 * "Growing" means the slope is above 1 MB/min with r² ≥ 0.5 over the samples after --skip s, and
 * above 1 MB/min in each half of them (one step of V8's heap is not a leak: see soak-trend.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { num, parseArgs, str } from '../common/args';
import { libStatus, machineInfo, RESULTS_DIR } from '../common/env';
import { installSignalCleanup, killAll, pinBenchCores, sleep } from '../common/proc';
import { handlerSetup, type HandlerName } from '../http/app/controllers';
import { type AdapterName, LIB_VARIANTS, type VariantName } from '../http/app/variant.types';
import { runLoad } from '../http/load';
import { serverOnFreePorts } from '../http/server-handle';
import { UdpSink } from '../sink/udp-sink';
import { GROWTH_MB_PER_MIN, trendOf } from './soak-trend';

const MB = 1024 * 1024;

export interface SoakSample {
  t: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  requests: number;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const variant = str(args, 'variant', 'statsd-cpu-attributed') as VariantName;
  const adapter = str(args, 'adapter', 'express') as AdapterName;
  const handler = str(args, 'handler', 'hello') as HandlerName;
  const durationS = num(args, 'duration', 60);
  const skipS = num(args, 'skip', 10);
  const connections = num(args, 'connections', 50);
  const out = str(args, 'out', join(RESULTS_DIR, 'soak.json'));
  if (LIB_VARIANTS.includes(variant) && !libStatus().available) {
    console.log(
      `soak skipped: nestjs-statsd ${libStatus().version} (npm run build at the repo root, then in bench/).`,
    );
    return;
  }

  installSignalCleanup();
  const { pinned, serverCpu, loadCpu } = pinBenchCores();
  const sink = new UdpSink();
  await sink.start();
  const server = await serverOnFreePorts({
    adapter,
    variant,
    handler,
    statsdPort: sink.port,
    cpu: serverCpu,
  });
  const samples: SoakSample[] = [];
  try {
    const ready = await server.start();
    const url = `http://127.0.0.1:${ready.port}${handlerSetup(handler).path}`;
    console.log(
      `soak: ${adapter}/${handler}/${variant}, ${durationS} s at -c ${connections}, sampling every second`,
    );
    const started = Date.now();
    const load = runLoad({ url, connections, duration: durationS }, loadCpu);
    let done = false;
    void load.finally(() => (done = true)).catch(() => undefined);
    while (!done) {
      const s = await server.request('sample', 'sample');
      const t = (Date.now() - started) / 1000;
      samples.push({
        t,
        rssMb: s.rss / MB,
        heapUsedMb: s.heapUsed / MB,
        heapTotalMb: s.heapTotal / MB,
        externalMb: s.external / MB,
        requests: s.totalRequests,
      });
      console.log(
        `${t.toFixed(0).padStart(4)} s  rss ${(s.rss / MB).toFixed(1).padStart(6)} MB  heap ${(s.heapUsed / MB).toFixed(1).padStart(6)} / ${(s.heapTotal / MB).toFixed(1)} MB  requests ${s.totalRequests}`,
      );
      await sleep(1000);
    }
    const result = await load;
    await sleep(200);
    const flushed = await server.request('flush', 'flushed');
    const names = ready.wirePerRequest;
    const snap = await sink.waitFor((x) =>
      names.every((n) => (x.byName[n] ?? 0) >= flushed.totalRequests),
    );
    const received = Object.fromEntries(names.map((n) => [n, snap.byName[n] ?? 0]));
    const deliveryOk = names.every((n) => received[n] === flushed.totalRequests);

    const rss = trendOf(samples, skipS, (s) => s.rssMb);
    const heap = trendOf(samples, skipS, (s) => s.heapUsedMb);
    console.log(`\nload: ${result.rps.toFixed(0)} req/s, ${flushed.totalRequests} requests`);
    console.log(
      `rss  trend after ${skipS} s: ${rss.slopeMbPerMin.toFixed(2)} MB/min (r² ${rss.r2.toFixed(2)}) → ${rss.growing ? 'GROWING' : 'flat'}`,
    );
    console.log(
      `heap trend after ${skipS} s: ${heap.slopeMbPerMin.toFixed(2)} MB/min (r² ${heap.r2.toFixed(2)}) → ${heap.growing ? 'GROWING' : 'flat'}`,
    );
    console.log(
      `delivery: ${names.map((n) => `${n} ${received[n]}`).join(', ')} of ${flushed.totalRequests} requests → ${deliveryOk ? 'ok' : 'MISMATCH'}`,
    );

    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ kind: 'soak', meta: { ...machineInfo(), adapter, handler, variant, durationS, skipS, connections, taskset: pinned }, load: result, samples, trend: { rss, heap, thresholdMbPerMin: GROWTH_MB_PER_MIN }, delivery: { requests: flushed.totalRequests, received, ok: deliveryOk } }, null, 2)}\n`,
    );
    console.log(`results: ${out}`);
  } finally {
    await server.stop();
    await sink.close();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
