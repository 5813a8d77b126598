import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DIST_DIR } from '../common/env';
import { freePort } from '../common/ports';
import { captureOutput, spawnNode, stop, track } from '../common/proc';
import type { HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import type { ReadyMessage, ServerCommand, ServerMessage } from './protocol';

export interface ServerSpec {
  adapter: AdapterName;
  variant: VariantName;
  handler: HandlerName;
  port: number;
  auxPort: number;
  statsdPort: number;
  /** Core to pin the server to (taskset -c). */
  cpu?: number;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/** The benchmark server (`server.ts`), as built. */
export const SERVER_SCRIPT = join(DIST_DIR, 'http', 'server.js');

/** The command-line flags of `server.ts` for one server. */
export function serverArgs(
  spec: Pick<ServerSpec, 'adapter' | 'variant' | 'handler' | 'port' | 'statsdPort'> & {
    auxPort?: number;
  },
): string[] {
  return [
    ...['--adapter', spec.adapter, '--variant', spec.variant, '--handler', spec.handler],
    ...['--port', String(spec.port), '--statsd-port', String(spec.statsdPort)],
    ...(spec.auxPort === undefined ? [] : ['--aux-port', String(spec.auxPort)]),
  ];
}

/** A server on two free loopback ports (its own and an auxiliary one), not started yet. */
export async function serverOnFreePorts(
  spec: Omit<ServerSpec, 'port' | 'auxPort'>,
): Promise<ServerHandle> {
  return new ServerHandle({ ...spec, port: await freePort(), auxPort: await freePort() });
}

type Reply<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** A benchmark server child process, driven over IPC. */
export class ServerHandle {
  private child?: ChildProcess;
  private nextId = 1;
  private waiting = new Map<
    number,
    { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }
  >();
  private exitError?: Error;
  private stderrTail: () => string = () => '';
  ready?: ReadyMessage;

  constructor(readonly spec: ServerSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 30_000): Promise<ReadyMessage> {
    const s = this.spec;
    const child = track(
      spawnNode(
        SERVER_SCRIPT,
        serverArgs(s),
        s.cpu,
        { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
        s.nodeArgs,
      ),
    );
    this.child = child;
    this.stderrTail = captureOutput(child).stderrTail;
    return new Promise<ReadyMessage>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `server ${this.describe()} not ready after ${timeoutMs} ms\n${this.stderrTail()}`,
            ),
          ),
        timeoutMs,
      );
      child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          this.ready = m;
          resolve(m);
          return;
        }
        const id = 'id' in m ? m.id : undefined;
        if (id !== undefined) {
          this.waiting.get(id)?.resolve(m);
          this.waiting.delete(id);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.exitError = new Error(
          `server ${this.describe()} exited (code ${code}, signal ${signal})\n${this.stderrTail()}`,
        );
        reject(this.exitError);
        for (const w of this.waiting.values()) w.reject(this.exitError);
        this.waiting.clear();
      });
    });
  }

  /** Sends one command and resolves with its reply. */
  request<T extends ServerMessage['type']>(
    cmd: ServerCommand['cmd'],
    type: T,
    timeoutMs = 15_000,
  ): Promise<Reply<T>> {
    const child = this.child;
    if (!child || this.exitError)
      return Promise.reject(this.exitError ?? new Error('server not started'));
    const id = this.nextId++;
    return new Promise<Reply<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`server ${this.describe()}: no reply to "${cmd}" after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          if (m.type !== type)
            reject(new Error(`server ${this.describe()}: expected "${type}", got "${m.type}"`));
          else resolve(m as Reply<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ cmd, id } as ServerCommand);
    });
  }

  async stop(): Promise<void> {
    if (this.child) await stop(this.child);
  }

  describe(): string {
    const s = this.spec;
    return `${s.adapter}/${s.handler}/${s.variant}`;
  }
}
