/**
 * What per-request CPU attribution costs on this Node, part by part, without Nest: a "request"
 * is a chain of 20 awaits, run bare and then with each layer `cpu: 'attributed'` adds on top of
 * the previous one. Explains the `'attributed'` targets (see TARGETS-NOTES.md).
 *
 *   node dist/measure/async-context.bench.js [--repeats 5] [--requests 50000] [--out results/async-context.json]
 *
 * async_hooks are process-wide, so every layer runs in its own process (pinned to core 1), the
 * layers alternated over the repeats in a rotating order; figures are medians and min–max.
 */
import { spawnSync } from 'node:child_process';
import { AsyncLocalStorage, createHook, executionAsyncResource } from 'node:async_hooks';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promiseHooks } from 'node:v8';
import { num, parseArgs, str } from '../common/args';
import { machineInfo, RESULTS_DIR } from '../common/env';
import { pinSelf } from '../common/proc';
import { writeResultFile } from '../common/result-file';
import { max, median, min } from '../common/stats';
import { roundOrder } from '../http/round-order';

const AWAITS = 20;

/** Each layer includes the ones above it, as `'attributed'` stacks them. */
const LAYERS = {
  bare: 'no async context',
  als: 'AsyncLocalStorage.run per request (how the owner of a callback is found)',
  'als+hooks':
    "+ async_hooks before/after around every callback (the slice accounting's entry points)",
  'als+hooks+clock':
    "+ the engine's accounting: getStore() in every before, the clock read when the owner changes",
  'clock-every-callback':
    'alternative to the last: the same accounting, but the clock read in every before and after (not only when the owner changes)',
  'own-propagation':
    'alternative to the last: the same accounting, the owner propagated by its own init hook instead of AsyncLocalStorage',
  'promise-hooks+clock':
    'alternative: the same accounting from v8.promiseHooks before/after (promise continuations only: timers and I/O callbacks go unseen) with AsyncLocalStorage',
  'sampled-1/64':
    "the default's shape: the full accounting (als+hooks+clock) switched on for one request in 64 and off after it (hooks and storage), nothing for the others",
} as const;
type Layer = keyof typeof LAYERS;
const LAYER_NAMES = Object.keys(LAYERS) as Layer[];

/**
 * The engine's accounting: a stack of owners, the clock read whenever the owner of the running
 * callback changes (entering a request's callback from top level, and leaving it). A copy of
 * `enter`/`leave` in lib/cpu/attributed-cpu-clock.ts, which the package does not export: keep the
 * two alike.
 */
function accounting(ownerOf: () => object | undefined): { before(): void; after(): void } {
  const stack: Array<object | undefined> = [];
  let current: object | undefined;
  const switchTo = (next: object | undefined) => {
    sink += performance.now();
    current = next;
  };
  return {
    before() {
      const owner = ownerOf();
      stack.push(current);
      if (owner !== current) switchTo(owner);
    },
    after() {
      const previous = stack.pop();
      if (previous !== current) switchTo(previous);
    },
  };
}

/** Sets the layer up in this process; returns how to run one request inside it. */
function install(layer: Layer): (request: () => Promise<number>) => Promise<number> {
  if (layer === 'bare') return (request) => request();
  if (layer === 'clock-every-callback') {
    const storage = new AsyncLocalStorage<object>();
    createHook({
      before() {
        storage.getStore();
        sink += performance.now();
      },
      after() {
        sink += performance.now();
      },
    }).enable();
    return (request) => storage.run({}, request);
  }
  if (layer === 'promise-hooks+clock') {
    const storage = new AsyncLocalStorage<object>();
    const { before, after } = accounting(() => storage.getStore());
    promiseHooks.createHook({ before, after });
    return (request) => storage.run({}, request);
  }
  if (layer === 'sampled-1/64') {
    const storage = new AsyncLocalStorage<object>();
    const hook = createHook(accounting(() => storage.getStore()));
    let count = 0;
    return async (request) => {
      if (count++ % 64 !== 0) return request();
      hook.enable();
      try {
        return await storage.run({}, request);
      } finally {
        hook.disable();
        storage.disable();
      }
    };
  }
  if (layer === 'own-propagation') {
    const owner = Symbol('owner');
    type Owned = Record<symbol, object | undefined>;
    createHook({
      init(_id, _type, _trigger, resource) {
        const current = (executionAsyncResource() as Owned)[owner];
        if (current !== undefined) (resource as Owned)[owner] = current;
      },
      ...accounting(() => (executionAsyncResource() as Owned)[owner]),
    }).enable();
    return (request) => {
      const resource = executionAsyncResource() as Owned;
      const previous = resource[owner];
      resource[owner] = {};
      try {
        return request();
      } finally {
        resource[owner] = previous;
      }
    };
  }
  const storage = new AsyncLocalStorage<object>();
  if (layer === 'als+hooks') createHook({ before() {}, after() {} }).enable();
  if (layer === 'als+hooks+clock') createHook(accounting(() => storage.getStore())).enable();
  return (request) => storage.run({}, request);
}

/** Keeps the work observable so the engine cannot drop it. */
let sink = 0;

async function step(i: number): Promise<number> {
  await null;
  return i;
}

async function request(): Promise<number> {
  let total = 0;
  for (let i = 0; i < AWAITS; i++) total += await step(i);
  return total;
}

async function child(layer: Layer, requests: number): Promise<void> {
  const run = install(layer);
  for (let i = 0; i < Math.min(20_000, requests); i++) sink += await run(request);
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) sink += await run(request);
  const usPerRequest = Number(process.hrtime.bigint() - started) / requests / 1000;
  console.log(JSON.stringify({ layer, usPerRequest, sink: sink > 0 }));
}

function runChild(layer: Layer, requests: number): number {
  const result = spawnSync(
    process.execPath,
    [__filename, '--child', layer, '--requests', String(requests)],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`layer ${layer} failed:\n${result.stderr}`);
  return (JSON.parse(result.stdout.trim()) as { usPerRequest: number }).usPerRequest;
}

function parent(): void {
  const args = parseArgs();
  const repeats = num(args, 'repeats', 5);
  const requests = num(args, 'requests', 50_000);
  const line = process.versions.node.split('.')[0];
  const out = str(args, 'out', join(RESULTS_DIR, `async-context-node${line}.json`));
  const pinned = pinSelf(1);
  const started = Date.now();
  const samples = new Map<Layer, number[]>(LAYER_NAMES.map((layer) => [layer, []]));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const layer of roundOrder(LAYER_NAMES, repeat, repeats)) {
      samples.get(layer)!.push(runChild(layer, requests));
    }
  }
  const bare = median(samples.get('bare')!);
  const rows = LAYER_NAMES.map((layer) => {
    const us = samples.get(layer)!;
    return {
      layer,
      description: LAYERS[layer],
      usPerRequest: { median: median(us), min: min(us), max: max(us) },
      addedNsPerAwait: ((median(us) - bare) * 1000) / AWAITS,
      samples: us,
    };
  });
  console.log(
    `${AWAITS} awaits per request, ${requests} requests per sample, ${repeats} samples per layer`,
  );
  for (const r of rows)
    console.log(
      `${r.layer.padEnd(16)} ${r.usPerRequest.median.toFixed(2).padStart(6)} µs/request (${r.usPerRequest.min.toFixed(2)}–${r.usPerRequest.max.toFixed(2)})  +${r.addedNsPerAwait.toFixed(0)} ns per await over bare  ${r.description}`,
    );
  const meta = { ...machineInfo(), awaits: AWAITS, requests, repeats, taskset: pinned };
  writeResultFile(
    out,
    { kind: 'async-context', meta, rows },
    Math.round((Date.now() - started) / 1000),
  );
}

const args = parseArgs();
if (typeof args.child === 'string') {
  const layer = args.child as Layer;
  if (!LAYER_NAMES.includes(layer))
    throw new Error(`--child must be one of ${LAYER_NAMES.join(', ')}`);
  void child(layer, num(args, 'requests', 50_000));
} else {
  parent();
}
