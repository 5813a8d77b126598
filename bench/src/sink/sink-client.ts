import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DIST_DIR } from '../common/env';
import { spawnNode, stop, track } from '../common/proc';
import type { SinkSnapshot } from './udp-sink';

/** Drives a sink-process.ts child. */
export class SinkProcess {
  private nextId = 1;
  private waiting = new Map<number, (s: SinkSnapshot) => void>();
  port = 0;

  private constructor(private readonly child: ChildProcess) {}

  static async start(cpu?: number): Promise<SinkProcess> {
    const child = track(
      spawnNode(join(DIST_DIR, 'sink', 'sink-process.js'), [], cpu, {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const sink = new SinkProcess(child);
    sink.port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`UDP sink process exited (code ${code})`)));
      child.on(
        'message',
        (m: { ready?: boolean; port?: number; id?: number; snapshot?: SinkSnapshot }) => {
          if (m.ready) resolve(m.port!);
          else if (m.id !== undefined) {
            sink.waiting.get(m.id)?.(m.snapshot!);
            sink.waiting.delete(m.id);
          }
        },
      );
    });
    return sink;
  }

  private call(cmd: 'reset' | 'snapshot' | 'wait', extra: object = {}): Promise<SinkSnapshot> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ cmd, id, ...extra });
    });
  }

  reset(): Promise<SinkSnapshot> {
    return this.call('reset');
  }

  snapshot(): Promise<SinkSnapshot> {
    return this.call('snapshot');
  }

  /** Resolves when each name has at least its count, or nothing arrived for `quietMs`, or after `timeoutMs`. */
  waitFor(
    expected: Record<string, number>,
    timeoutMs = 10_000,
    quietMs = 1000,
  ): Promise<SinkSnapshot> {
    return this.call('wait', { expected, timeoutMs, quietMs });
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}
