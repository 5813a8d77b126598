import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import type { CpuClock } from './cpu-clock';
import { chooseSliceClock } from './slice-clock';

/** CPU charged to one unit of work; nested units also charge their parents. */
export class CpuAccount {
  busyMs = 0;
  constructor(readonly parent: CpuAccount | undefined) {}
}

/**
 * Attributes event-loop time to the unit of work that owns the running callback: every
 * callback runs between async_hooks `before` and `after`, and the async context says whose it
 * is. A request's figure therefore excludes the work of the requests it overlapped with.
 *
 * One engine per process (shared through `globalThis`, so both builds of the package agree);
 * its hooks are enabled while at least one clock uses it.
 */
class AttributedCpuEngine {
  private readonly storage = new AsyncLocalStorage<CpuAccount>();
  private readonly now = chooseSliceClock().read;
  private readonly stack: Array<CpuAccount | undefined> = [];
  private current: CpuAccount | undefined;
  private sliceStart = 0;
  private users = 0;
  private readonly hook = createHook({
    before: () => this.enter(this.storage.getStore()),
    after: () => this.leave(),
  });

  acquire(): void {
    if (this.users++ === 0) this.hook.enable();
  }

  release(): void {
    if (this.users > 0 && --this.users === 0) {
      this.hook.disable();
      this.stack.length = 0;
      this.current = undefined;
    }
  }

  open(): CpuAccount {
    return new CpuAccount(this.storage.getStore());
  }

  run<T>(account: CpuAccount, work: () => T): T {
    return this.storage.run(account, () => {
      this.enter(account);
      try {
        return work();
      } finally {
        this.leave();
      }
    });
  }

  elapsedMs(account: CpuAccount): number {
    let busy = account.busyMs;
    for (let owner = this.current; owner !== undefined; owner = owner.parent) {
      if (owner === account) {
        busy += this.now() - this.sliceStart;
        break;
      }
    }
    return busy;
  }

  // The clock is read only when the owner changes: a callback nested in one of its owner's costs a
  // lookup and a push. A callback run from the top of the stack (each promise continuation of a
  // request) reads it twice, entering and leaving: leaving late would charge the idle wait that may
  // follow to the request (bench/src/measure/async-context.bench.ts has the cost per await).
  private enter(account: CpuAccount | undefined): void {
    this.stack.push(this.current);
    if (account !== this.current) this.switchTo(account);
  }

  private leave(): void {
    const previous = this.stack.pop();
    if (previous !== this.current) this.switchTo(previous);
  }

  private switchTo(next: CpuAccount | undefined): void {
    const now = this.now();
    const elapsed = now - this.sliceStart;
    for (let owner = this.current; owner !== undefined; owner = owner.parent)
      owner.busyMs += elapsed;
    this.current = next;
    this.sliceStart = now;
  }
}

const ENGINE = Symbol.for('nestjs-statsd:attributed-cpu-engine');

function sharedEngine(): AttributedCpuEngine {
  const holder = globalThis as unknown as Record<symbol, AttributedCpuEngine | undefined>;
  return (holder[ENGINE] ??= new AttributedCpuEngine());
}

/** CPU time attributed through the async context; see `AttributedCpuEngine`. */
export class AttributedCpuClock implements CpuClock<CpuAccount> {
  private readonly engine = sharedEngine();
  private disposed = false;

  constructor() {
    this.engine.acquire();
  }

  begin(): CpuAccount {
    return this.engine.open();
  }

  run<T>(account: CpuAccount, work: () => T): T {
    return this.engine.run(account, work);
  }

  elapsedMs(account: CpuAccount): number {
    return this.engine.elapsedMs(account);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engine.release();
  }
}
