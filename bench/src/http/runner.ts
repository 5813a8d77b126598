/**
 * HTTP overhead benchmark: every variant on the same app, server and load generator pinned to
 * different cores, variants alternated over rounds, ratios to the same round's baseline.
 *
 *   node dist/http/runner.js [--rounds 3] [--duration 5] [--warmup 2] [--connections 50]
 *     [--adapters express,fastify] [--handlers hello,realistic] [--variants all|a,b,...]
 *     [--out results/http.json] [--max-minutes 40] [--global-warmup 3] [--strict-delivery]
 *     [--profile results/profiles]   (V8 CPU profile of every server: open in Chrome DevTools / speedscope)
 *
 * Exit code: 1 when a run crashed (server, load generator, harness); figures never fail it,
 * except delivery mismatches with --strict-delivery.
 */
import { flag, parseArgs } from '../common/args';
import { type RunFailure, writeResultFile } from '../common/result-file';
import { machineInfo } from '../common/env';
import { installSignalCleanup, killAll, LOAD_CPU, pinBenchCores, SERVER_CPU } from '../common/proc';
import { UdpSink } from '../sink/udp-sink';
import { roundOrder } from './round-order';
import { type RunResult, runOne } from './run-one';
import { runnerOptions } from './runner.options';
import { formatSummary, summarize } from './summary';

async function main(): Promise<void> {
  const args = parseArgs();
  const o = runnerOptions(args);
  const { rounds, durationS, warmupS, connections, maxMinutes, globalWarmupS } = o;
  const { adapters, handlers, variants, skipped, out, profileDir } = o;

  installSignalCleanup();
  const { pinned, serverCpu, loadCpu } = pinBenchCores();
  if (!pinned)
    console.warn(
      'taskset not available: server and load generator run unpinned (figures are less comparable).',
    );
  const sink = new UdpSink();
  await sink.start();

  const info = machineInfo();
  const started = Date.now();
  const deadline = started + maxMinutes * 60_000;
  const perRun = warmupS + durationS + 2.5;
  const estimate = (rounds * adapters.length * handlers.length * variants.length * perRun) / 60;
  console.log(
    `nestjs-statsd HTTP bench: ${rounds} round(s) × ${adapters.join('+')} × ${handlers.join('+')} × ${variants.length} variants, ${warmupS}+${durationS} s each, -c ${connections}`,
  );
  console.log(
    `Node ${info.node}, ${info.cpuModel} ×${info.cpuCount}, Nest ${info.nest}, nestjs-statsd ${info.nestjsStatsd}; server on core ${SERVER_CPU}, load on core ${LOAD_CPU}${pinned ? '' : ' (unpinned)'}; ≈${estimate.toFixed(1)} min`,
  );
  for (const s of skipped) console.log(`skipped ${s.variant}: ${s.reason}`);

  const runs: RunResult[] = [];
  const failures: RunFailure[] = [];
  let partial = false;

  if (profileDir)
    console.log(
      `CPU profiles of the servers: ${profileDir} (profiling slows every variant: ratios are not comparable to unprofiled runs)`,
    );
  const base = {
    warmupS,
    durationS,
    connections,
    serverCpu,
    loadCpu,
    profileDir,
  };
  if (globalWarmupS > 0) {
    // Discarded: brings the machine (CPU clocks, page cache, JIT of the load generator's code) up first.
    process.stdout.write(`warm-up (${adapters[0]} baseline, ${globalWarmupS} s, discarded)... `);
    await runOne(
      {
        ...base,
        adapter: adapters[0]!,
        handler: handlers[0]!,
        variant: 'baseline',
        warmupS: 0,
        durationS: globalWarmupS,
      },
      sink,
      -1,
      0,
    );
    console.log('done');
  }

  outer: for (let round = 0; round < rounds; round++) {
    for (const adapter of adapters) {
      for (const handler of handlers) {
        const order = roundOrder(variants, round, rounds);
        for (let i = 0; i < order.length; i++) {
          if (Date.now() + perRun * 1000 > deadline) {
            partial = true;
            console.warn(`--max-minutes ${maxMinutes} reached: stopping with partial results.`);
            break outer;
          }
          const variant = order[i]!;
          const label = `round ${round + 1}/${rounds} ${adapter}/${handler}/${variant}`;
          try {
            const r = await runOne({ ...base, adapter, handler, variant }, sink, round, i);
            runs.push(r);
            const names = Object.keys(r.delivery.received);
            const wire = names.length
              ? ` wire ${names.map((n) => r.delivery.received[n]).join('/')} of ${r.delivery.requests}`
              : r.delivery.recorded !== undefined
                ? ` recorded ${r.delivery.recorded} of ${r.delivery.requests}`
                : '';
            console.log(
              `${label}: ${r.rps.toFixed(0)} req/s, ${r.cpuUsPerReq.toFixed(0)} µs CPU/req (core ${r.serverCoreShare.toFixed(2)}), p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, rss ${r.peakRssMb.toFixed(0)} MB${wire}${r.delivery.ok ? '' : '  ** DELIVERY MISMATCH **'}${r.load.errors ? ` (${r.load.errors} errors)` : ''}`,
            );
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            failures.push({ round, adapter, handler, variant, error: message });
            console.error(`${label}: FAILED\n${message}`);
          }
        }
      }
    }
  }
  await sink.close();

  const summary = summarize(runs);
  console.log(`\n${formatSummary(summary)}\n`);
  const mismatches = runs.filter((r) => !r.delivery.ok);
  if (mismatches.length) {
    console.warn(`delivery: ${mismatches.length} run(s) where values received ≠ values recorded:`);
    for (const r of mismatches)
      console.warn(
        `  round ${r.round + 1} ${r.adapter}/${r.handler}/${r.variant}: requests ${r.delivery.requests}, received ${JSON.stringify(r.delivery.received)}${r.delivery.recorded !== undefined ? `, recorded ${r.delivery.recorded}` : ''}${r.wire.kernelDrops ? `, kernel dropped ${r.wire.kernelDrops} datagrams at the sink` : ''}`,
      );
  } else {
    console.log('delivery: values received = values recorded in every run.');
  }

  const result = {
    kind: 'http',
    meta: {
      ...info,
      taskset: pinned,
      serverCpu: serverCpu ?? null,
      loadCpu: loadCpu ?? null,
      rounds,
      durationS,
      warmupS,
      connections,
      adapters,
      handlers,
      variants,
      skipped,
      partial,
      wallS: Math.round((Date.now() - started) / 1000),
      argv: process.argv.slice(2),
    },
    runs,
    summary,
    failures,
  };
  writeResultFile(out, result, result.meta.wallS);

  if (failures.length) {
    console.error(`${failures.length} run(s) failed.`);
    process.exitCode = 1;
  } else if (mismatches.length && flag(args, 'strict-delivery')) {
    process.exitCode = 1;
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
