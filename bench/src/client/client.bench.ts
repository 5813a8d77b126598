/**
 * Client throughput: metric values per second through StatsdService.timing vs hot-shots'
 * `timing` directly (defaults, and buffered), same name and five tags; datagrams and bytes per
 * 1,000 values as the UDP sink saw them; values received = values sent.
 *
 *   node dist/client/client.bench.js [--values 100000] [--repeats 3] [--out results/client.json]
 *
 * Per scenario: N synchronous calls (call-side cost), then flush and wait until the sink (its own
 * process, core 0) has every value (end-to-end rate). The bench process is pinned to core 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { num, parseArgs, str } from '../common/args';
import { libStatus, machineInfo, RESULTS_DIR } from '../common/env';
import { installSignalCleanup, killAll, pinSelf } from '../common/proc';
import { median } from '../common/stats';
import { udpReceiveBufferErrors } from '../common/udp-drops';
import { SinkProcess } from '../sink/sink-client';
import type { TimingTarget } from './client.types';
import { hotShotsTarget } from './hot-shots.targets';

export interface ClientRow {
  target: string;
  values: number;
  /** Median over repeats. */
  callNsPerValue: number;
  callValuesPerSec: number;
  endToEndValuesPerSec: number;
  received: number;
  datagramsPer1000Values: number;
  bytesPer1000Values: number;
  allReceived: boolean;
  /** Datagrams the kernel dropped at a full receive buffer during the timed repeats (machine-wide). */
  kernelDrops?: number;
}

async function measure(
  target: TimingTarget,
  sink: SinkProcess,
  values: number,
  repeats: number,
): Promise<ClientRow> {
  const call: number[] = [];
  const e2e: number[] = [];
  let received = 0;
  let datagrams = 0;
  let bytes = 0;
  let allReceived = true;
  let kernelDrops: number | undefined = 0;
  // Warm-up: JIT the path before timing it.
  for (let i = 0; i < 20_000; i++) target.timing(i % 500);
  await target.flush();
  await sink.waitFor({ [target.wireName]: 20_000 }, 10_000, 3000);
  // Let anything late from the warm-up land before the counters are reset.
  await new Promise((r) => setTimeout(r, 300));
  for (let r = 0; r < repeats; r++) {
    await sink.reset();
    const drops0 = udpReceiveBufferErrors();
    const t0 = performance.now();
    for (let i = 0; i < values; i++) target.timing(i % 500);
    const t1 = performance.now();
    await target.flush();
    const snap = await sink.waitFor({ [target.wireName]: values }, 20_000, 3000);
    const t2 = performance.now();
    const drops1 = udpReceiveBufferErrors();
    kernelDrops =
      drops0 === undefined || drops1 === undefined || kernelDrops === undefined
        ? undefined
        : kernelDrops + drops1 - drops0;
    call.push(t1 - t0);
    e2e.push(t2 - t0);
    received = snap.byName[target.wireName] ?? 0;
    allReceived &&= received === values;
    datagrams = snap.datagrams;
    bytes = snap.bytes;
  }
  const callMs = median(call);
  return {
    target: target.name,
    values,
    callNsPerValue: (callMs * 1e6) / values,
    callValuesPerSec: values / (callMs / 1000),
    endToEndValuesPerSec: values / (median(e2e) / 1000),
    received,
    datagramsPer1000Values: (datagrams / values) * 1000,
    bytesPer1000Values: (bytes / values) * 1000,
    allReceived,
    kernelDrops,
  };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const values = num(args, 'values', 100_000);
  const repeats = num(args, 'repeats', 3);
  const out = str(args, 'out', join(RESULTS_DIR, 'client.json'));
  installSignalCleanup();
  const pinned = pinSelf(1);
  const sink = await SinkProcess.start(pinned ? 0 : undefined);
  const rows: ClientRow[] = [];
  try {
    const targets: (() => Promise<TimingTarget>)[] = [
      async () => hotShotsTarget(sink.port, false),
      async () => hotShotsTarget(sink.port, true),
    ];
    const lib = libStatus();
    if (lib.available) {
      // Loaded only when built: the stub throws on require.
      targets.push(async () =>
        (require('./statsd.target') as typeof import('./statsd.target')).statsdTarget(sink.port),
      );
    } else {
      console.log(
        `nestjs-statsd ${lib.version}: StatsdService scenario skipped (npm run build at the repo root, then in bench/).`,
      );
    }
    for (const make of targets) {
      const target = await make();
      try {
        const row = await measure(target, sink, values, repeats);
        rows.push(row);
        console.log(
          `${row.target}: ${row.callNsPerValue.toFixed(0)} ns/value at the call, ${(row.endToEndValuesPerSec / 1000).toFixed(0)}k values/s end to end, ${row.datagramsPer1000Values.toFixed(1)} datagrams and ${(row.bytesPer1000Values / 1024).toFixed(1)} KiB per 1000 values, received ${row.received}/${values}${row.kernelDrops ? ` (kernel dropped ${row.kernelDrops} datagrams at the sink's full receive buffer)` : ''}`,
        );
      } finally {
        await target.close();
      }
    }
  } finally {
    await sink.stop();
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ kind: 'client', meta: { ...machineInfo(), values, repeats, taskset: pinned }, rows }, null, 2)}\n`,
  );
  console.log(`results: ${out}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
