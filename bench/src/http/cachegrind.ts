import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { captureOutput, hasTaskset, stop, track } from '../common/proc';
import type { HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import { SERVER_SCRIPT, serverArgs } from './server-handle';

/** valgrind's version (`valgrind-3.19.0`), or undefined when it is not installed. */
export function valgrindVersion(): string | undefined {
  try {
    return execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export interface CountedServerSpec {
  adapter: AdapterName;
  variant: VariantName;
  handler: HandlerName;
  port: number;
  statsdPort: number;
  cpu: number;
  /** Where cachegrind writes its counts. */
  outFile: string;
}

/**
 * Starts a bench server under cachegrind without cache simulation: it counts the instructions
 * the process executes (JIT-compiled code included, hence `--smc-check`), about 40 times slower
 * than native. Resolves once the server listens.
 */
export async function startCountedServer(
  spec: CountedServerSpec,
  timeoutMs = 300_000,
): Promise<ChildProcess> {
  const valgrindArgs = [
    '--tool=cachegrind',
    '--cache-sim=no',
    '--smc-check=all-non-file',
    `--cachegrind-out-file=${spec.outFile}`,
    process.execPath,
    SERVER_SCRIPT,
    ...serverArgs(spec),
  ];
  const [command, args] = hasTaskset()
    ? ['taskset', ['-c', String(spec.cpu), 'valgrind', ...valgrindArgs]]
    : ['valgrind', valgrindArgs];
  const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  return new Promise<ChildProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`${spec.variant} under cachegrind not listening after ${timeoutMs} ms`));
    }, timeoutMs);
    const { stderrTail } = captureOutput(child, (line) => {
      if (!line.startsWith('listening on ')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.variant} under cachegrind exited (${code})\n${stderrTail()}`));
    });
  });
}

/**
 * Stops a counted server (SIGTERM: it closes the app and exits, and cachegrind writes its file)
 * and returns how many instructions the process executed in all.
 */
export async function stopAndCount(child: ChildProcess, outFile: string): Promise<number> {
  await stop(child, 60_000);
  const summary = /^summary: (\d+)/m.exec(readFileSync(outFile, 'utf8'));
  rmSync(outFile, { force: true });
  if (!summary) throw new Error(`no "summary:" line in ${outFile}`);
  return Number(summary[1]);
}
