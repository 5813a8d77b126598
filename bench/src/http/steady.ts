/**
 * Minutes of steady load: what a variant costs a long-running process, and how that moves over
 * time. One server per variant, all pinned to one core, each under its own load generator for the
 * whole run without a pause; every `--interval` seconds each server's CPU per request over that
 * interval. An interval's ratio is the first server's (the baseline) over the variant's, so
 * whatever the machine did in those seconds hits both; name `baseline` twice for the A/A.
 *
 * The concurrent pairs (`paired.ts`) give each pair of servers 15–30 s of life, in which start-up
 * and the first close of the load's connections weigh, and an effect that lasts a minute is cut
 * short (bench/TARGETS-NOTES.md, fifteenth session).
 *
 *   node dist/http/steady.js --adapter fastify --handler slow --connections 500 --seconds 180 \
 *     --variants baseline,baseline,statsd-cpu-false,statsd-default [--interval 10] [--settle 60] \
 *     [--out results/steady.json]
 */
import { join } from 'node:path';
import { absolute, list, num, oneOf, parseArgs, str } from '../common/args';
import { machineInfo, requiredReference, RESULTS_DIR } from '../common/env';
import { installSignalCleanup, killAll, pinBenchCores, sleep } from '../common/proc';
import { writeResultFile } from '../common/result-file';
import { UdpSink } from '../sink/udp-sink';
import { handlerSetup, type HandlerName, SERVER_HANDLERS } from './app/controllers';
import { ADAPTERS, type AdapterName, VARIANTS, type VariantName } from './app/variant.types';
import { runLoad } from './load';
import { spread } from './paired-summary';
import { type ServerHandle, serverOnFreePorts } from './server-handle';

/** One server's CPU time and requests over one interval. */
interface Interval {
  cpuUs: number;
  requests: number;
}

const cpuPerRequest = (i: Interval) => i.cpuUs / i.requests;

/** Cumulative reports since the mark, turned into per-interval figures. */
function intervalsOf(reports: ReadonlyArray<Interval>): Interval[] {
  return reports.slice(1).map((r, k) => ({
    cpuUs: r.cpuUs - reports[k].cpuUs,
    requests: r.requests - reports[k].requests,
  }));
}

async function main(): Promise<void> {
  const args = parseArgs();
  const adapter = oneOf<AdapterName>(args, 'adapter', ADAPTERS, ADAPTERS[0]);
  const handler = oneOf<HandlerName>(args, 'handler', SERVER_HANDLERS, 'hello');
  // Repeats allowed: `baseline` twice is the A/A.
  const variants = list<VariantName>(args, 'variants', ['baseline', 'baseline'], VARIANTS);
  if (variants[0] !== 'baseline' || variants.length < 2)
    throw new Error('--variants: `baseline` first, then at least one variant to compare with it');
  const seconds = num(args, 'seconds', 180);
  const intervalS = num(args, 'interval', 10);
  const settleS = num(args, 'settle', 60);
  const connections = num(args, 'connections', 50);
  if (!(intervalS > 0) || seconds < intervalS + 2)
    throw new Error(`--seconds ${seconds} leaves no whole --interval ${intervalS} to measure`);
  const reference = requiredReference(variants, 'nothing measured');
  const out = absolute(str(args, 'out', join(RESULTS_DIR, 'steady.json')));

  installSignalCleanup();
  const { pinned, serverCpu, loadCpu } = pinBenchCores();
  const sink = new UdpSink();
  await sink.start();
  const started = Date.now();
  console.log(
    `nestjs-statsd steady load: ${adapter}/${handler}, ${variants.join(', ')}; ${seconds} s, -c ${connections} each, CPU per request every ${intervalS} s`,
  );
  const servers: ServerHandle[] = [];
  for (const variant of variants) {
    servers.push(
      await serverOnFreePorts({ adapter, variant, handler, statsdPort: sink.port, cpu: serverCpu }),
    );
  }
  const reports: Interval[][] = servers.map(() => []);
  try {
    const ready = await Promise.all(servers.map((s) => s.start()));
    const path = handlerSetup(handler).path;
    const loads = ready.map((r) =>
      runLoad(
        { url: `http://127.0.0.1:${r.port}${path}`, connections, duration: seconds },
        loadCpu,
      ),
    );
    // Handled now, awaited at the end: a load generator that fails early must not crash the run.
    const loading = Promise.all(loads);
    loading.catch(() => undefined);
    await sleep(1000);
    await Promise.all(servers.map((s) => s.request('mark', 'sample')));
    for (let t = 0; t + intervalS < seconds - 1; t += intervalS) {
      await sleep(intervalS * 1000);
      const now = await Promise.all(servers.map((s) => s.request('report', 'report')));
      now.forEach((r, k) =>
        reports[k].push({ cpuUs: r.cpuUserUs + r.cpuSystemUs, requests: r.requests }),
      );
    }
    await loading;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await sink.close();
  }

  // The first report closes the first interval after the mark; with an implicit zero before it.
  const intervals = reports.map((r) => intervalsOf([{ cpuUs: 0, requests: 0 }, ...r]));
  const settled = Math.floor(settleS / intervalS);
  const compared = variants.slice(1).map((variant, k) => {
    const ratios = intervals[0].map(
      (base, i) => cpuPerRequest(base) / cpuPerRequest(intervals[k + 1][i]),
    );
    return {
      variant,
      ratios,
      cpu: spread(ratios),
      cpuAfterSettle: ratios.length > settled ? spread(ratios.slice(settled)) : undefined,
    };
  });
  intervals[0].forEach((base, i) =>
    console.log(
      `${String((i + 1) * intervalS).padStart(5)} s  ${compared.map((c) => c.ratios[i].toFixed(3)).join('  ')}  (baseline ${cpuPerRequest(base).toFixed(1)} µs/req)`,
    ),
  );
  for (const c of compared)
    console.log(
      `${c.variant}: CPU ratio ${c.cpu.median.toFixed(3)} (IQR ${c.cpu.q1.toFixed(3)}–${c.cpu.q3.toFixed(3)})${c.cpuAfterSettle ? `, from ${settleS} s on ${c.cpuAfterSettle.median.toFixed(3)}` : ''}`,
    );
  const meta = {
    ...machineInfo(),
    method: 'steady',
    taskset: pinned,
    adapter,
    handler,
    variants,
    seconds,
    intervalS,
    settleS,
    connections,
    wallS: Math.round((Date.now() - started) / 1000),
    argv: process.argv.slice(2),
    // The other build `statsd-reference` measured, when it is part of the run.
    ...(reference === undefined ? {} : { reference }),
  };
  writeResultFile(out, { kind: 'http-steady', meta, intervals, compared }, meta.wallS);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
