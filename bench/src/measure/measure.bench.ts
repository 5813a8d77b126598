/**
 * @Measure() overhead: ns per call added to a sync, an async and an Observable-returning method,
 * over the same method undecorated, with `cpu: false` and with the module's default CPU mode.
 *
 *   node dist/measure/measure.bench.js [--time 1000] [--configs cpu-false,default] [--out results/measure.json]
 *
 * Each configuration runs in its own process (one StatsdModule per process, pinned to core 1);
 * the UDP sink runs in another (core 0) and checks that every measured call reached the wire.
 * Calls are batched (1000 sync / 200 Observable / 100 async per sample) so the timer's own
 * cost (~60 ns) does not dominate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { list, num, parseArgs, str } from '../common/args';
import { libStatus, machineInfo, RESULTS_DIR } from '../common/env';
import {
  captureOutput,
  installSignalCleanup,
  killAll,
  pinSelf,
  spawnNode,
  track,
} from '../common/proc';
import { SinkProcess } from '../sink/sink-client';
// Types only: the child module (and nestjs-statsd) is never loaded in this process.
import type { ChildResult, ConfigName, MeasureRow } from './measure.child';

const CONFIGS: readonly ConfigName[] = ['cpu-false', 'default'];

async function parent(): Promise<void> {
  const args = parseArgs();
  const timeMs = num(args, 'time', 1000);
  const configs = list<ConfigName>(args, 'configs', CONFIGS, CONFIGS);
  const out = str(args, 'out', join(RESULTS_DIR, 'measure.json'));
  const lib = libStatus();
  if (!lib.available) {
    console.log(
      `measure bench skipped: nestjs-statsd ${lib.version} (npm run build at the repo root, then in bench/).`,
    );
    return;
  }
  installSignalCleanup();
  const pinned = pinSelf(0);
  const sink = await SinkProcess.start(pinned ? 0 : undefined);
  const clientStats: Record<string, Record<string, number>> = {};
  const results: (MeasureRow & {
    delivery: Record<string, { calls: number; received: number }>;
  })[] = [];
  try {
    for (const config of configs) {
      await sink.reset();
      const c = track(
        spawnNode(
          join(__dirname, 'measure.child.js'),
          [config, String(sink.port), String(timeMs)],
          pinned ? 1 : undefined,
          { stdio: ['ignore', 'pipe', 'pipe'] },
        ),
      );
      let res: ChildResult | undefined;
      const o = captureOutput(c, (line) => {
        if (line.startsWith('RESULT ')) res = JSON.parse(line.slice(7)) as ChildResult;
        else if (line.trim()) console.log(line);
      });
      const code = await new Promise<number | null>((r) => c.once('exit', r));
      if (code !== 0 || !res)
        throw new Error(`measure bench (${config}) failed (code ${code})\n${o.stderrTail()}`);
      const names = {
        sync: 'bench.MeasureTarget.measuredSync',
        async: 'bench.MeasureTarget.measuredAsync',
        observable: 'bench.MeasureTarget.measuredObservable',
      };
      const snap = await sink.waitFor(
        {
          [names.sync]: res.calls.sync,
          [names.async]: res.calls.async,
          [names.observable]: res.calls.observable,
        },
        15_000,
        3000,
      );
      for (const row of res.rows) {
        const name = names[row.kind];
        const delivery: Record<string, { calls: number; received: number }> = {
          [name]: { calls: res.calls[row.kind], received: snap.byName[name] ?? 0 },
        };
        if (snap.byName[`${name}.cpu`] !== undefined)
          delivery[`${name}.cpu`] = {
            calls: res.calls[row.kind],
            received: snap.byName[`${name}.cpu`]!,
          };
        results.push({ ...row, delivery });
      }
      console.log(
        `(${config}) nestjs-statsd stats(): ${JSON.stringify(res.clientStats)}; sink: ${snap.datagrams} datagrams, ${snap.values} values`,
      );
      clientStats[config] = res.clientStats;
      const other = Object.keys(snap.byName).filter(
        (n) => !Object.values(names).some((m) => n === m || n === `${m}.cpu`),
      );
      if (other.length) console.log(`(${config}) other metric names received: ${other.join(', ')}`);
    }
  } finally {
    await sink.stop();
  }

  console.log('\n@Measure() overhead, ns per call (median of batched samples)');
  console.log('config     kind         plain   measured   added    delivery (received/calls)');
  for (const r of results) {
    const d = Object.entries(r.delivery)
      .map(([n, v]) => `${n.split('.').slice(-1)[0]} ${v.received}/${v.calls}`)
      .join(', ');
    console.log(
      `${r.config.padEnd(10)} ${r.kind.padEnd(10)} ${r.plainNs.toFixed(0).padStart(7)} ${r.measuredNs.toFixed(0).padStart(10)} ${r.addedNs.toFixed(0).padStart(7)}    ${d}`,
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ kind: 'measure', meta: { ...machineInfo(), timeMs, taskset: pinned }, rows: results, clientStats }, null, 2)}\n`,
  );
  console.log(`results: ${out}`);
}

parent()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
