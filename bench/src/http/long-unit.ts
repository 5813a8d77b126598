/**
 * What one measured request kept open costs the other requests. While a unit's CPU is attributed,
 * every callback of the process runs through the hooks, measured or not; the library gives such a
 * unit up when that costs the others more than the budget (README, "Long units").
 *
 * Two servers of one variant (handler `hello-long`) on core 1, loaded during the same slice by
 * their own autocannon on core 0, as in `paired.js --concurrent`. Before each slice both sit idle
 * (`--idle` s, so the sampler is back to measuring every unit); in a "long" round one of them,
 * alternately, gets `GET /long/:ms` open through the whole slice, in an "A/A" round neither does.
 * Ratio: CPU per `hello` request of the server with the long request ÷ the other's (A/A: first ÷
 * second), so the machine's swings hit both sides alike.
 *
 *   node dist/http/long-unit.js [--rounds 6] [--slice 4] [--idle 13] [--warmup 3]
 *     [--adapter express] [--variant statsd-default] [--out results/long-unit.json]
 */
import { get } from 'node:http';
import { join } from 'node:path';
import { absolute, num, oneOf, parseArgs, str } from '../common/args';
import { machineInfo, RESULTS_DIR } from '../common/env';
import { median } from '../common/stats';
import { installSignalCleanup, killAll, pinBenchCores, sleep } from '../common/proc';
import { writeResultFile } from '../common/result-file';
import { UdpSink } from '../sink/udp-sink';
import { ADAPTERS, type AdapterName, VARIANTS, type VariantName } from './app/variant.types';
import { runLoad } from './load';
import { type ServerHandle, serverOnFreePorts } from './server-handle';

const CONNECTIONS = 50;

interface RoundResult {
  round: number;
  kind: 'long' | 'aa';
  /** CPU µs per request of each server (the one with the long request first in a long round). */
  usPerRequest: [number, number];
  ratio: number;
}

/** Resolves when the response to `GET url` has ended. */
function fetchToEnd(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const args = parseArgs();
  const rounds = num(args, 'rounds', 6);
  const sliceS = num(args, 'slice', 4);
  const idleS = num(args, 'idle', 13);
  const warmupS = num(args, 'warmup', 3);
  const adapter = oneOf<AdapterName>(args, 'adapter', ADAPTERS, 'express');
  const variant = oneOf<VariantName>(args, 'variant', VARIANTS, 'statsd-default');
  const out = absolute(str(args, 'out', join(RESULTS_DIR, 'long-unit.json')));

  installSignalCleanup();
  const { pinned, serverCpu, loadCpu } = pinBenchCores();
  const sink = new UdpSink();
  await sink.start();
  const servers: ServerHandle[] = [];
  for (let index = 0; index < 2; index++) {
    servers.push(
      await serverOnFreePorts({
        adapter,
        variant,
        handler: 'hello-long',
        statsdPort: sink.port,
        cpu: serverCpu,
      }),
    );
  }
  const started = Date.now();
  console.log(
    `long-unit bench: ${adapter}, ${variant}, ${rounds} long + ${rounds} A/A rounds of ${sliceS} s after ${idleS} s idle`,
  );
  const ports = await Promise.all(servers.map(async (server) => (await server.start()).port));
  const helloUrl = (port: number) => `http://127.0.0.1:${port}/hello/42`;
  await Promise.all(
    ports.map((port) =>
      runLoad({ url: helloUrl(port), connections: CONNECTIONS, duration: warmupS }, loadCpu),
    ),
  );

  const results: RoundResult[] = [];
  for (let round = 0; round < 2 * rounds; round++) {
    const kind: RoundResult['kind'] = round % 2 === 0 ? 'long' : 'aa';
    // The side with the long request alternates between the two servers, round after round.
    const first = kind === 'long' && (round >> 1) % 2 === 1 ? 1 : 0;
    const order = [first, 1 - first];
    await sleep(idleS * 1000);
    await Promise.all(servers.map((server) => server.request('mark', 'sample')));
    const long =
      kind === 'long'
        ? fetchToEnd(`http://127.0.0.1:${ports[first]}/long/${(sliceS + 1) * 1000}`)
        : undefined;
    const loads = await Promise.all(
      ports.map((port) =>
        runLoad({ url: helloUrl(port), connections: CONNECTIONS, duration: sliceS }, loadCpu),
      ),
    );
    const reports = await Promise.all(servers.map((server) => server.request('report', 'report')));
    await long;
    const perRequest = order.map(
      (index) => (reports[index]!.cpuUserUs + reports[index]!.cpuSystemUs) / loads[index]!.requests,
    ) as [number, number];
    const result = { round, kind, usPerRequest: perRequest, ratio: perRequest[0] / perRequest[1] };
    results.push(result);
    console.log(
      `round ${round + 1}/${2 * rounds} ${kind}: ${perRequest.map((us) => us.toFixed(1)).join(' / ')} µs/req, ratio ${result.ratio.toFixed(3)}`,
    );
  }
  await Promise.all(servers.map((server) => server.stop()));
  await sink.close();

  const summary = (['long', 'aa'] as const).map((kind) => {
    const ratios = results.filter((r) => r.kind === kind).map((r) => r.ratio);
    return { kind, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
  });
  for (const s of summary)
    console.log(
      `${s.kind}: median ${s.median.toFixed(3)} (${s.min.toFixed(3)}–${s.max.toFixed(3)})`,
    );
  const wallS = Math.round((Date.now() - started) / 1000);
  writeResultFile(
    out,
    {
      kind: 'long-unit',
      meta: {
        ...machineInfo(),
        adapter,
        variant,
        rounds,
        sliceS,
        idleS,
        warmupS,
        taskset: pinned,
        wallS,
        argv: process.argv.slice(2),
      },
      rounds: results,
      summary,
    },
    wallS,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
