/**
 * Instructions per request, counted by valgrind: a figure the machine's neighbours do not move,
 * for comparing variants and builds of the request path where time-based runs differ by 2 points
 * from one run to the next. It counts work, not time: cache misses and the like are not in it.
 *
 *   node dist/http/instructions.js [--variants baseline,statsd-cpu-false,statsd-default]
 *     [--adapter express] [--handler hello] [--warmup 3000] [--requests 10000] [--rounds 2]
 *     [--out results/instructions-node<line>.json]
 *
 * Each variant runs as two servers at once, one per core: one gets the warm-up only, the other
 * the warm-up and then `--requests` more; the difference of their totals over `--requests` is
 * the count per request, in which start-up, warm-up and shutdown cancel. Rounds rotate the order
 * of the variants. Needs valgrind (Debian: `apt-get install valgrind`); about a minute per variant
 * and round with the defaults on Node 24 (Express on Node 20 takes 2.7 times the instructions).
 */
import autocannon = require('autocannon');
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list, num, parseArgs, str } from '../common/args';
import { machineInfo, type ReferenceBuild, requiredReference, RESULTS_DIR } from '../common/env';
import { freePort } from '../common/ports';
import { installSignalCleanup, stop } from '../common/proc';
import { writeResultFile } from '../common/result-file';
import { max, median, min } from '../common/stats';
import { UdpSink } from '../sink/udp-sink';
import { HANDLERS, handlerSetup, type HandlerName } from './app/controllers';
import { ADAPTERS, type AdapterName, VARIANTS, type VariantName } from './app/variant.types';
import { startCountedServer, stopAndCount, valgrindVersion } from './cachegrind';
import { roundOrder } from './round-order';

const CONNECTIONS = 50;

export interface InstructionsRow {
  round: number;
  variant: VariantName;
  /** Instructions of the server that got the warm-up only. */
  warmupOnly: number;
  /** Instructions of the server that got the warm-up and the measured requests. */
  warmupAndRequests: number;
  perRequest: number;
}

export interface InstructionsSummary {
  variant: VariantName;
  /** Median over rounds of the instructions per request. */
  perRequest: number;
  perRequestMin: number;
  perRequestMax: number;
  /** The baseline's median over this variant's: the throughput ratio if time followed the count. */
  ratio: number | undefined;
}

export interface InstructionsFile {
  meta: ReturnType<typeof machineInfo> & {
    valgrind: string;
    adapter: AdapterName;
    handler: HandlerName;
    warmupRequests: number;
    requests: number;
    rounds: number;
    connections: number;
    wallS: number;
    /** The other build `statsd-reference` measured, when it is part of the run. */
    reference?: ReferenceBuild;
  };
  rows: InstructionsRow[];
  summary: InstructionsSummary[];
}

async function load(port: number, handler: HandlerName, amount: number): Promise<void> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${handlerSetup(handler).path}`,
    connections: CONNECTIONS,
    amount,
    timeout: 60,
  });
  const answered = result['2xx'];
  if (answered !== amount) throw new Error(`${answered} of ${amount} requests answered 2xx`);
}

/** One variant, one round: the two servers side by side. */
async function countVariant(
  variant: VariantName,
  options: { adapter: AdapterName; handler: HandlerName; warmup: number; requests: number },
  sink: UdpSink,
  round: number,
): Promise<InstructionsRow> {
  const spec = { adapter: options.adapter, variant, handler: options.handler };
  const outFile = (cpu: number) =>
    join(tmpdir(), `nestjs-statsd-cachegrind-${process.pid}-${round}-${variant}-${cpu}.out`);
  const ports = [await freePort(), await freePort()];
  // Core 0: the warm-up only; core 1: the warm-up, then the measured requests.
  const starts = await Promise.allSettled(
    [0, 1].map((cpu) =>
      startCountedServer({
        ...spec,
        port: ports[cpu]!,
        statsdPort: sink.port,
        cpu,
        outFile: outFile(cpu),
      }),
    ),
  );
  const servers = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(ports.map((port) => load(port, options.handler, options.warmup)));
    const warmupOnly = stopAndCount(servers[0]!, outFile(0));
    warmupOnly.catch(() => {}); // awaited below, after the measured load
    await load(ports[1]!, options.handler, options.requests);
    const warmupAndRequests = await stopAndCount(servers[1]!, outFile(1));
    const warmupOnlyCount = await warmupOnly;
    return {
      round,
      variant,
      warmupOnly: warmupOnlyCount,
      warmupAndRequests,
      perRequest: (warmupAndRequests - warmupOnlyCount) / options.requests,
    };
  } finally {
    await Promise.all(servers.map((server) => stop(server)));
  }
}

function summarize(
  rows: readonly InstructionsRow[],
  variants: readonly VariantName[],
): InstructionsSummary[] {
  const perRequestOf = (variant: VariantName) =>
    rows.filter((r) => r.variant === variant).map((r) => r.perRequest);
  const baseline = median(perRequestOf('baseline'));
  return variants.map((variant) => {
    const counts = perRequestOf(variant);
    const perRequest = median(counts);
    return {
      variant,
      perRequest,
      perRequestMin: min(counts),
      perRequestMax: max(counts),
      ratio: Number.isFinite(baseline) ? baseline / perRequest : undefined,
    };
  });
}

async function main(): Promise<void> {
  installSignalCleanup();
  const args = parseArgs();
  const valgrind = valgrindVersion();
  if (valgrind === undefined) {
    throw new Error(
      'valgrind is not installed (Debian: apt-get install valgrind); nothing counted',
    );
  }
  const variants = list(
    args,
    'variants',
    ['baseline', 'statsd-cpu-false', 'statsd-default'],
    VARIANTS,
  );
  const reference = requiredReference(variants, 'nothing counted');
  const [adapter] = list(args, 'adapter', ['express'], ADAPTERS);
  const [handler] = list(args, 'handler', ['hello'], HANDLERS);
  const options = {
    adapter: adapter!,
    handler: handler!,
    warmup: num(args, 'warmup', 3000),
    requests: num(args, 'requests', 10_000),
  };
  const rounds = num(args, 'rounds', 2);
  const line = process.versions.node.split('.')[0];
  const out = str(args, 'out', join(RESULTS_DIR, `instructions-node${line}.json`));
  const startedAt = Date.now();
  const sink = new UdpSink();
  await sink.start();
  const rows: InstructionsRow[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const variant of roundOrder(variants, round, rounds)) {
        const row = await countVariant(variant, options, sink, round);
        rows.push(row);
        console.log(
          `round ${round + 1}/${rounds} ${adapter}/${handler}/${variant}: ${Math.round(row.perRequest)} instructions per request`,
        );
      }
    }
  } finally {
    await sink.close();
  }
  const summary = summarize(rows, variants);
  for (const s of summary) {
    console.log(
      `${s.variant}: ${Math.round(s.perRequest)} per request (${Math.round(s.perRequestMin)}–${Math.round(s.perRequestMax)})${s.ratio === undefined ? '' : `, ratio ${s.ratio.toFixed(3)}`}`,
    );
  }
  const wallS = Math.round((Date.now() - startedAt) / 1000);
  const file: InstructionsFile = {
    meta: {
      ...machineInfo(),
      valgrind,
      adapter: options.adapter,
      handler: options.handler,
      warmupRequests: options.warmup,
      requests: options.requests,
      rounds,
      connections: CONNECTIONS,
      wallS,
      ...(reference === undefined ? {} : { reference }),
    },
    rows,
    summary,
  };
  writeResultFile(out, file, wallS);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
