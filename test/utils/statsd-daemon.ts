import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freeTcpPort, freeUdpPort } from './free-port';
import { StatsdMgmtClient } from './statsd-mgmt-client';
import { waitFor } from './wait-for';

/** Options of {@link StatsdDaemon.start}. */
export interface StatsdDaemonOptions {
  /** Address for both the UDP and the management port. @default '127.0.0.1' */
  host?: string;
  /** Longest time to wait for `health` to answer, per attempt. @default 10000 */
  startTimeoutMs?: number;
  /** Extra daemon config keys, merged over the defaults (e.g. `{ prefixStats: 'x' }`). */
  config?: Record<string, unknown>;
}

const ATTEMPTS = 3;

/**
 * Loaded into the daemon with `--require`. (1) The mgmt commands print with util.inspect, which
 * cuts arrays after 100 items ("... 20 more items"): lift that limit so every timing can be read
 * back. (2) statsd 0.9.0 logs with `util.log`, which Node 23 removed: put back an equivalent
 * (timestamp, then the message) so the daemon runs on every Node line the suite runs on.
 */
const DAEMON_PRELOAD = `const util = require('node:util');
util.inspect.defaultOptions.maxArrayLength = null;
if (typeof util.log !== 'function') {
  util.log = (...args) => console.log(new Date().toISOString(), '-', util.format(...args));
}
`;
const OUTPUT_LIMIT = 64 * 1024;

/**
 * The real Etsy StatsD daemon (npm `statsd`) as a child process on free ports, with the
 * console backend and a one-hour flush so counters and timers stay readable through
 * {@link StatsdDaemon.mgmt} for the whole test run.
 * @example
 * const daemon = await StatsdDaemon.start();
 * // send to daemon.host:daemon.port, then read: await daemon.mgmt.counters()
 * await daemon.stop();
 */
export class StatsdDaemon {
  /** Client for the management port. */
  readonly mgmt: StatsdMgmtClient;
  private output = '';
  private readonly exited: Promise<void>;
  private readonly killOnExit = (): void => void this.child.kill('SIGKILL');

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** Address the daemon listens on. */
    readonly host: string,
    /** UDP port for metrics. */
    readonly port: number,
    /** TCP management port. */
    readonly mgmtPort: number,
  ) {
    this.mgmt = new StatsdMgmtClient({ host, port: mgmtPort });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // A crashed test run must not leave a daemon behind.
    process.once('exit', this.killOnExit);
  }

  /**
   * Writes a config to a temp dir, spawns `node node_modules/statsd/stats.js <config>` (with a
   * preload, {@link DAEMON_PRELOAD}) and
   * resolves once the management port answers `health: up`. Retries on fresh ports if the
   * daemon dies while starting (a port taken in between).
   */
  static async start(options: StatsdDaemonOptions = {}): Promise<StatsdDaemon> {
    const failures: string[] = [];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const daemon = await StatsdDaemon.spawn(options);
      try {
        await daemon.whenHealthy(options.startTimeoutMs ?? 10_000);
        return daemon;
      } catch (error) {
        failures.push(
          `attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`,
        );
        await daemon.stop();
      }
    }
    throw new Error(`StatsdDaemon: could not start the daemon.\n${failures.join('\n')}`);
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The daemon's stdout and stderr so far (last 64 KiB), for failure messages. */
  get log(): string {
    return this.output;
  }

  /** Sends SIGTERM to the daemon, waits for it to exit (SIGKILL after `timeoutMs`), removes its config. */
  async stop(timeoutMs = 5000): Promise<void> {
    process.off('exit', this.killOnExit);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)),
      );
      if (await Promise.race([this.exited.then(() => false), late])) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private static async spawn(options: StatsdDaemonOptions): Promise<StatsdDaemon> {
    const host = options.host ?? '127.0.0.1';
    const [port, mgmtPort] = [await freeUdpPort(host), await freeTcpPort(host)];
    const config = {
      port,
      address: host,
      address_ipv6: host.includes(':'),
      mgmt_address: host,
      mgmt_port: mgmtPort,
      backends: ['./backends/console'],
      flushInterval: 3_600_000,
      deleteIdleStats: false,
      automaticConfigReload: false,
      ...options.config,
    };
    const dir = mkdtempSync(join(tmpdir(), 'statsd-daemon-'));
    const configPath = join(dir, 'config.js');
    writeFileSync(configPath, `(${JSON.stringify(config, null, 2)})\n`);
    const preloadPath = join(dir, 'daemon-preload.js');
    writeFileSync(preloadPath, DAEMON_PRELOAD);
    const statsJs = join(dirname(require.resolve('statsd/package.json')), 'stats.js');
    const child = spawn(process.execPath, ['--require', preloadPath, statsJs, configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new StatsdDaemon(child, dir, host, port, mgmtPort);
  }

  private async whenHealthy(timeoutMs: number): Promise<void> {
    const abort = new AbortController();
    const died = this.exited.then(() => {
      abort.abort();
      throw new Error(
        `daemon exited (code ${this.child.exitCode}, signal ${this.child.signalCode}) before answering health:\n${this.output}`,
      );
    });
    const healthy = waitFor(async () => (await this.mgmt.health()) === 'up', {
      timeoutMs,
      description: `the StatsD daemon's health on ${this.host}:${this.mgmtPort}`,
      signal: abort.signal,
    });
    died.catch(() => undefined);
    healthy.catch(() => undefined);
    try {
      await Promise.race([healthy, died]);
    } finally {
      abort.abort();
    }
  }
}
