import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BENCH_DIR } from './env';

/** Writes a runner's results as JSON and says where, relative to bench/ when inside it. */
export function writeResultFile(out: string, result: unknown, wallS: number): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `results: ${out.startsWith(BENCH_DIR) ? out.slice(BENCH_DIR.length + 1) : out} (${wallS} s)`,
  );
}

/** A run that crashed (server, load generator or harness), as the HTTP runners record it. */
export interface RunFailure {
  round: number;
  adapter: string;
  handler: string;
  variant: string;
  error: string;
}
