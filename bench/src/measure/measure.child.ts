/**
 * One @Measure() configuration, run by measure.bench.ts in its own process:
 *   node dist/measure/measure.child.js <cpu-false|default> <sinkPort> <timeMs>
 * Prints one `RESULT {json}` line.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Measure, StatsdModule, StatsdService } from 'nestjs-statsd';
import { type Observable, of } from 'rxjs';
import { Bench } from 'tinybench';

export const CONFIGS = ['cpu-false', 'default'] as const;
export type ConfigName = (typeof CONFIGS)[number];

/** Counts calls of the decorated methods, so the sink can be checked against them. */
const calls = { sync: 0, async: 0, observable: 0 };

@Injectable()
class MeasureTarget {
  plainSync(x: number): number {
    return x + 1;
  }

  @Measure()
  measuredSync(x: number): number {
    calls.sync++;
    return x + 1;
  }

  async plainAsync(x: number): Promise<number> {
    return x + 1;
  }

  @Measure()
  async measuredAsync(x: number): Promise<number> {
    calls.async++;
    return x + 1;
  }

  plainObservable(x: number): Observable<number> {
    return of(x + 1);
  }

  @Measure()
  measuredObservable(x: number): Observable<number> {
    calls.observable++;
    return of(x + 1);
  }
}

export interface MeasureRow {
  config: ConfigName;
  kind: 'sync' | 'async' | 'observable';
  plainNs: number;
  measuredNs: number;
  addedNs: number;
  /** Relative margin of error of the two means, in %. */
  plainRme: number;
  measuredRme: number;
}

export interface ChildResult {
  rows: MeasureRow[];
  calls: typeof calls;
  sinkPort: number;
  /** nestjs-statsd's own counters after the final flush (datagrams sent, drops). */
  clientStats: Record<string, number>;
}

async function child(config: ConfigName, sinkPort: number, timeMs: number): Promise<ChildResult> {
  @Module({})
  class MeasureBenchModule {}
  const app = await NestFactory.createApplicationContext(
    {
      module: MeasureBenchModule,
      imports: [
        StatsdModule.forRoot({
          host: '127.0.0.1',
          port: sinkPort,
          prefix: 'bench',
          ...(config === 'cpu-false' ? { cpu: false as const } : {}),
        }),
      ],
      providers: [MeasureTarget],
    },
    { logger: ['error', 'warn'] },
  );
  const t = app.get(MeasureTarget);
  let acc = 0;
  const SYNC = 1000;
  const OBS = 200;
  const ASYNC = 100;
  const onNext = (v: number) => {
    acc += v;
  };
  // Between samples (not timed) the event loop turns once, as it would between requests, so the
  // client's socket sends complete instead of piling up behind a loop that never yields.
  const yieldEach = { afterEach: () => new Promise<void>((resolve) => setImmediate(resolve)) };
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(500, timeMs / 2) });
  bench
    .add(
      'sync plain',
      () => {
        for (let i = 0; i < SYNC; i++) acc += t.plainSync(i);
      },
      yieldEach,
    )
    .add(
      'sync measured',
      () => {
        for (let i = 0; i < SYNC; i++) acc += t.measuredSync(i);
      },
      yieldEach,
    )
    .add(
      'observable plain',
      () => {
        for (let i = 0; i < OBS; i++) t.plainObservable(i).subscribe(onNext);
      },
      yieldEach,
    )
    .add(
      'observable measured',
      () => {
        for (let i = 0; i < OBS; i++) t.measuredObservable(i).subscribe(onNext);
      },
      yieldEach,
    )
    .add(
      'async plain',
      async () => {
        for (let i = 0; i < ASYNC; i++) acc += await t.plainAsync(i);
      },
      yieldEach,
    )
    .add(
      'async measured',
      async () => {
        for (let i = 0; i < ASYNC; i++) acc += await t.measuredAsync(i);
      },
      yieldEach,
    );
  await bench.run();

  const perCall = (name: string, batch: number) => {
    const task = bench.getTask(name);
    const r = task?.result;
    if (!r || !('latency' in r)) throw new Error(`task "${name}" has no result (${r?.state})`);
    return { ns: (r.latency.p50 * 1e6) / batch, rme: r.latency.rme };
  };
  const rows: MeasureRow[] = [];
  for (const [kind, batch] of [
    ['sync', SYNC],
    ['async', ASYNC],
    ['observable', OBS],
  ] as const) {
    const plain = perCall(`${kind} plain`, batch);
    const measured = perCall(`${kind} measured`, batch);
    rows.push({
      config,
      kind,
      plainNs: plain.ns,
      measuredNs: measured.ns,
      addedNs: measured.ns - plain.ns,
      plainRme: plain.rme,
      measuredRme: measured.rme,
    });
  }
  const statsd = app.get(StatsdService);
  await statsd.flush();
  await app.close();
  const clientStats = { ...statsd.stats() };
  if (acc === -1) console.log(acc); // keeps `acc` observable so the loops are not optimized away
  return { rows, calls: { ...calls }, sinkPort, clientStats };
}

if (require.main === module) {
  const [config, sinkPort, timeMs] = process.argv.slice(2);
  child(config as ConfigName, Number(sinkPort), Number(timeMs))
    .then((r) => {
      process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
