/**
 * `npm run bench`: the full suite, each part in its own process, then the report.
 *
 *   node dist/suite.js [--rounds 4] [--duration 3] [--warmup 2] [--paired-rounds 4] [--soak 60]
 *     [--only http,paired,measure,async-context,client,soak]
 *
 * Defaults keep the whole suite around 35 minutes on a 2-core machine: HTTP 4 rounds × 2
 * adapters × 2 handlers × 9 variants × (2 s warm-up + 3 s) ≈ 16 min, the paired A/B runs of the
 * targets 4 rounds × 2 adapters × 5 variants × ≈24 s ≈ 16 min, @Measure ≈ 30 s, client ≈ 30 s,
 * soak 60 s. Exit code 1 when a part crashed; figures never fail it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { list, num, parseArgs } from './common/args';
import { DIST_DIR } from './common/env';

const PARTS = ['http', 'paired', 'measure', 'async-context', 'client', 'soak'] as const;
type Part = (typeof PARTS)[number];

function run(script: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(DIST_DIR, script), ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.pid && process.kill(child.pid, signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs();
  const rounds = num(args, 'rounds', 4);
  const duration = num(args, 'duration', 3);
  const warmup = num(args, 'warmup', 2);
  const soak = num(args, 'soak', 60);
  const pairedRounds = num(args, 'paired-rounds', 4);
  const parts = list<Part>(args, 'only', PARTS, PARTS);
  const started = Date.now();
  const failed: string[] = [];
  const step = async (name: string, script: string, a: string[]) => {
    console.log(`\n=== ${name} ===`);
    const code = await run(script, a);
    if (code !== 0) failed.push(`${name} (exit ${code})`);
  };
  if (parts.includes('http'))
    await step('HTTP overhead', 'http/runner.js', [
      '--rounds',
      String(rounds),
      '--duration',
      String(duration),
      '--warmup',
      String(warmup),
      '--max-minutes',
      '22',
    ]);
  if (parts.includes('paired'))
    await step('HTTP overhead, paired A/B (the targets)', 'http/paired.js', [
      '--rounds',
      String(pairedRounds),
      '--max-minutes',
      '20',
    ]);
  if (parts.includes('measure')) await step('@Measure overhead', 'measure/measure.bench.js', []);
  if (parts.includes('async-context'))
    await step('attributed CPU, part by part', 'measure/async-context.bench.js', []);
  if (parts.includes('client')) await step('client throughput', 'client/client.bench.js', []);
  if (parts.includes('soak'))
    await step('memory soak', 'memory/soak.js', ['--duration', String(soak)]);
  await step('report', 'report/report.js', []);
  console.log(
    `\nsuite done in ${((Date.now() - started) / 60000).toFixed(1)} min${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`,
  );
  if (failed.length) process.exitCode = 1;
}

void main();
