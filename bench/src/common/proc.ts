import { type ChildProcess, execFileSync, spawn, type SpawnOptions } from 'node:child_process';

/**
 * The two cores of a bench run that pins: the measured servers on one, the load generators (and
 * the driver) on the other, so that neither takes the other's time.
 */
export const SERVER_CPU = 1;
export const LOAD_CPU = 0;

/** Where a bench driver's children run: both cores undefined when it could not pin itself. */
export interface BenchCores {
  pinned: boolean;
  serverCpu: number | undefined;
  loadCpu: number | undefined;
}

/** Pins the driver to {@link LOAD_CPU}; its servers then go on {@link SERVER_CPU}, its load beside it. */
export function pinBenchCores(): BenchCores {
  const pinned = pinSelf(LOAD_CPU);
  return {
    pinned,
    serverCpu: pinned ? SERVER_CPU : undefined,
    loadCpu: pinned ? LOAD_CPU : undefined,
  };
}

let tasksetChecked: boolean | undefined;

/** `taskset` (util-linux) pins a process to a core; without it the bench runs unpinned and says so. */
export function hasTaskset(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/** Pins the current process (all its threads) to `cpu`. Returns false when it could not. */
export function pinSelf(cpu: number): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `node <script> ...args` pinned to `cpu` with `taskset -c` (which execs node: the child's
 * PID is node's own, so it can be signalled directly).
 */
export function spawnNode(
  script: string,
  args: readonly string[],
  cpu: number | undefined,
  options: SpawnOptions,
  extraNodeArgs: readonly string[] = [],
): ChildProcess {
  const nodeArgs = [
    ...process.execArgv.filter((a) => !a.startsWith('--inspect')),
    ...extraNodeArgs,
    script,
    ...args,
  ];
  if (cpu !== undefined && hasTaskset()) {
    return spawn('taskset', ['-c', String(cpu), process.execPath, ...nodeArgs], options);
  }
  return spawn(process.execPath, nodeArgs, options);
}

const started = new Set<ChildProcess>();

/** Remembers a child so `killAll` can end it (by PID) when the parent is interrupted. */
export function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Ends one child by PID: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Ends every tracked child, each by its own PID. */
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((c) => stop(c, 1500)));
}

/** Ends tracked children on Ctrl-C / SIGTERM, then exits with the conventional code. */
export function installSignalCleanup(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping child processes...\n`);
    void killAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Collects a child's stdout lines and stderr tail (for error messages). */
export function captureOutput(
  child: ChildProcess,
  onLine?: (line: string) => void,
): { stderrTail: () => string } {
  let buffer = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine?.(line);
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return { stderrTail: () => stderr.trim() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
