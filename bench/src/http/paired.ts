/**
 * Paired A/B HTTP benchmark, for the targets. The rotating runner (runner.ts) compares a variant
 * with a baseline measured up to a minute away, and this shared machine's speed swings by ±10 %
 * over that time. Here a baseline server and a variant server run side by side on the same core
 * (both started fresh, both warmed up) and the load alternates between them in short slices,
 * baseline-variant-variant-baseline (see abba.ts); each block of four slices gives one ratio.
 *
 *   node dist/http/paired.js [--rounds 4] [--blocks 2] [--slice 1.5] [--warmup 2] [--connections 50]
 *     [--adapters express,fastify] [--handlers hello] [--variants <list>|all] [--max-minutes 30]
 *     [--concurrent] [--out results/http-paired.json]
 *
 * With `--concurrent` both servers are loaded at the same time instead, `--blocks` slices per pair
 * (see concurrent-slices.ts): the machine's swings then hit both sides at once. Its results go to
 * `results/http-concurrent*.json` and are reported apart.
 *
 * The `baseline` variant pits a baseline server against another: an A/A check, the method's own
 * noise. Default variants: that check, nestjs-statsd's three CPU modes and nestjs-otel (the
 * closest peer in every rotating run); `all`: every variant. Exit code 1 when a run crashed;
 * figures never fail it.
 */
import { join } from 'node:path';
import { absolute, flag, list, num, parseArgs, str } from '../common/args';
import { type RunFailure, writeResultFile } from '../common/result-file';
import {
  libStatus,
  machineInfo,
  REFERENCE_NOT_LINKED,
  referenceLib,
  RESULTS_DIR,
} from '../common/env';
import {
  type BenchCores,
  installSignalCleanup,
  killAll,
  pinBenchCores,
  sleep,
} from '../common/proc';
import { udpReceiveBufferErrors } from '../common/udp-drops';
import { UdpSink } from '../sink/udp-sink';
import {
  abbaSchedule,
  type BlockRatio,
  blockRatios,
  firstSideOf,
  type Side,
  type Slice,
} from './abba';
import { type HandlerName, handlerSetup, SERVER_HANDLERS } from './app/controllers';
import {
  ADAPTERS,
  type AdapterName,
  LIB_VARIANTS,
  VARIANTS,
  type VariantName,
} from './app/variant.types';
import { concurrentRatio } from './concurrent-slices';
import { collectDelivery } from './delivery';
import { runLoad } from './load';
import { describeSlicing } from './pair-method';
import { type PairResult, type Spread, summarizePairs } from './paired-summary';
import { roundOrder } from './round-order';
import { type ServerHandle, serverOnFreePorts } from './server-handle';

const DEFAULT_VARIANTS: VariantName[] = [
  'baseline',
  'statsd-default',
  'statsd-cpu-false',
  'statsd-cpu-process',
  'statsd-cpu-attributed',
  'otel',
];

interface PairSpec {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  warmupS: number;
  sliceS: number;
  blocks: number;
  connections: number;
  pinned: boolean;
  concurrent: boolean;
}

async function newServer(
  spec: PairSpec,
  variant: VariantName,
  statsdPort: number,
  cpu: number | undefined,
) {
  const { adapter, handler } = spec;
  return serverOnFreePorts({ adapter, variant, handler, statsdPort, cpu });
}

type Urls = Record<Side, string>;
type Servers = Record<Side, ServerHandle>;
type Measured = { slices: Slice[]; blocks: BlockRatio[] };

/** The unmeasured load a fresh server gets before its slices. */
async function warmUp(spec: PairSpec, url: string, loadCpu: number | undefined): Promise<void> {
  await runLoad({ url, connections: spec.connections, duration: spec.warmupS }, loadCpu);
}

/** One load slice on one server, with the server's own CPU time and request count over it. */
async function measureSlice(
  side: Side,
  server: ServerHandle,
  url: string,
  spec: PairSpec,
  loadCpu: number | undefined,
): Promise<Slice> {
  await server.request('mark', 'sample');
  const load = await runLoad(
    { url, connections: spec.connections, duration: spec.sliceS },
    loadCpu,
  );
  const report = await server.request('report', 'report');
  return {
    side,
    requests: load.requests,
    durationS: load.durationS,
    cpuUs: report.cpuUserUs + report.cpuSystemUs,
    systemUs: report.cpuSystemUs,
    serverRequests: report.requests,
  };
}

/** The load alternates between the two servers in ABBA blocks (see abba.ts). */
async function loadInTurns(
  spec: PairSpec,
  servers: Servers,
  urls: Urls,
  loadCpu: number | undefined,
  round: number,
): Promise<Measured> {
  const first = firstSideOf(round);
  const order: Side[] = first === 'baseline' ? ['baseline', 'variant'] : ['variant', 'baseline'];
  for (const side of order) await warmUp(spec, urls[side], loadCpu);
  const slices: Slice[] = [];
  for (const side of abbaSchedule(spec.blocks, first)) {
    await sleep(50);
    slices.push(await measureSlice(side, servers[side], urls[side], spec, loadCpu));
  }
  return { slices, blocks: blockRatios(slices) };
}

/** Both servers are loaded during the same seconds, `blocks` times (see concurrent-slices.ts). */
async function loadTogether(
  spec: PairSpec,
  servers: Servers,
  urls: Urls,
  loadCpu: number | undefined,
): Promise<Measured> {
  const slice = (side: Side) => measureSlice(side, servers[side], urls[side], spec, loadCpu);
  await Promise.all([warmUp(spec, urls.baseline, loadCpu), warmUp(spec, urls.variant, loadCpu)]);
  const slices: Slice[] = [];
  const blocks: BlockRatio[] = [];
  for (let i = 0; i < spec.blocks; i++) {
    await sleep(50);
    const [baseline, variant] = await Promise.all([slice('baseline'), slice('variant')]);
    slices.push(baseline, variant);
    blocks.push(concurrentRatio(baseline, variant));
  }
  return { slices, blocks };
}

async function runPair(
  spec: PairSpec,
  cores: BenchCores,
  sink: UdpSink,
  round: number,
): Promise<PairResult> {
  sink.reset();
  const drops0 = udpReceiveBufferErrors();
  const servers: Record<Side, ServerHandle> = {
    baseline: await newServer(spec, 'baseline', sink.port, cores.serverCpu),
    variant: await newServer(spec, spec.variant, sink.port, cores.serverCpu),
  };
  const { loadCpu } = cores;
  const path = handlerSetup(spec.handler).path;
  try {
    const [baselineReady, variantReady] = await Promise.all([
      servers.baseline.start(),
      servers.variant.start(),
    ]);
    const urls: Record<Side, string> = {
      baseline: `http://127.0.0.1:${baselineReady.port}${path}`,
      variant: `http://127.0.0.1:${variantReady.port}${path}`,
    };
    const measured = spec.concurrent
      ? await loadTogether(spec, servers, urls, loadCpu)
      : await loadInTurns(spec, servers, urls, loadCpu, round);
    const { delivery } = await collectDelivery(servers.variant, variantReady, sink, drops0);
    return { ...spec, round, ...measured, delivery };
  } finally {
    await Promise.all([servers.baseline.stop(), servers.variant.stop()]);
  }
}

const fmt = (s: Spread) =>
  `${s.median.toFixed(3)} (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)}, ${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

async function main(): Promise<void> {
  const args = parseArgs();
  const rounds = num(args, 'rounds', 4);
  // Few blocks per pair, more pairs: two fresh servers of one build differ by a few per cent, more
  // than the blocks within a pair do, so fresh pairs are what bring the spread of the median down.
  const blocks = num(args, 'blocks', 2);
  const sliceS = num(args, 'slice', 1.5);
  const warmupS = num(args, 'warmup', 2);
  const connections = num(args, 'connections', 50);
  const concurrent = flag(args, 'concurrent');
  const maxMinutes = num(args, 'max-minutes', 30);
  const adapters = list<AdapterName>(args, 'adapters', ADAPTERS, ADAPTERS);
  const handlers = list<HandlerName>(args, 'handlers', ['hello'], SERVER_HANDLERS);
  const lib = libStatus();
  const chosen = list<VariantName>(
    args,
    'variants',
    typeof args.variants === 'string' ? VARIANTS : DEFAULT_VARIANTS,
    VARIANTS,
  ).filter((v) => lib.available || !LIB_VARIANTS.includes(v));
  const reference = chosen.includes('statsd-reference') ? referenceLib() : undefined;
  if (chosen.includes('statsd-reference') && reference === undefined) {
    console.warn(`statsd-reference skipped: ${REFERENCE_NOT_LINKED}.`);
    chosen.splice(chosen.indexOf('statsd-reference'), 1);
  }
  const out = absolute(
    str(args, 'out', join(RESULTS_DIR, concurrent ? 'http-concurrent.json' : 'http-paired.json')),
  );

  installSignalCleanup();
  const cores = pinBenchCores();
  const { pinned } = cores;
  const sink = new UdpSink();
  await sink.start();
  const info = machineInfo();
  const started = Date.now();
  const deadline = started + maxMinutes * 60_000;
  const perPair = concurrent
    ? 3 + warmupS + blocks * (sliceS + 0.6)
    : 3 + 2 * warmupS + blocks * 4 * (sliceS + 0.6);
  const method = concurrent ? 'concurrent' : 'abba';
  console.log(
    `nestjs-statsd paired HTTP bench: ${rounds} round(s) × ${adapters.join('+')} × ${handlers.join('+')} × ${chosen.join(', ')}; ${describeSlicing(method, blocks, sliceS)}, -c ${connections}; ≈${((rounds * adapters.length * handlers.length * chosen.length * perPair) / 60).toFixed(1)} min`,
  );
  if (!pinned) console.warn('taskset not available: server and load generator run unpinned.');

  const pairs: PairResult[] = [];
  const failures: RunFailure[] = [];
  let partial = false;
  outer: for (let round = 0; round < rounds; round++) {
    for (const adapter of adapters) {
      for (const handler of handlers) {
        for (const variant of roundOrder(chosen, round, rounds)) {
          if (Date.now() + perPair * 1000 > deadline) {
            partial = true;
            console.warn(`--max-minutes ${maxMinutes} reached: stopping with partial results.`);
            break outer;
          }
          const spec = {
            adapter,
            handler,
            variant,
            warmupS,
            sliceS,
            blocks,
            connections,
            pinned,
            concurrent,
          };
          try {
            const pair = await runPair(spec, cores, sink, round);
            pairs.push(pair);
            const ratios = pair.blocks.map((b) => b.throughput.toFixed(2)).join(' ');
            const cpu = pair.blocks.map((b) => b.cpu.toFixed(2)).join(' ');
            console.log(
              `round ${round + 1}/${rounds} ${adapter}/${handler}/${variant}: throughput ${ratios} · CPU ${cpu}${pair.delivery.ok ? '' : '  ** DELIVERY MISMATCH **'}`,
            );
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            failures.push({ round, adapter, handler, variant, error: message });
            console.error(
              `round ${round + 1} ${adapter}/${handler}/${variant}: FAILED\n${message}`,
            );
          }
        }
      }
    }
  }
  await sink.close();

  const summary = summarizePairs(pairs);
  console.log('');
  for (const s of summary)
    console.log(
      `${s.adapter}/${s.handler}/${s.variant} (${s.blocks} blocks): throughput ${fmt(s.throughput)} · CPU ${fmt(s.cpu)} · ${s.baselineCpuUs.toFixed(1)} → ${s.variantCpuUs.toFixed(1)} µs/req · delivery ${s.deliveryOk ? 'ok' : 'MISMATCH'}`,
    );
  const result = {
    kind: 'http-paired',
    meta: {
      ...info,
      method,
      taskset: pinned,
      rounds,
      blocks,
      sliceS,
      warmupS,
      connections,
      partial,
      wallS: Math.round((Date.now() - started) / 1000),
      argv: process.argv.slice(2),
      // The other build `statsd-reference` measured, when it is part of the run.
      ...(reference === undefined ? {} : { reference }),
    },
    pairs,
    summary,
    failures,
  };
  writeResultFile(out, result, result.meta.wallS);
  if (failures.length) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
