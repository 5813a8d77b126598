import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { callbackHooks } from './callback-hooks';
import type { CpuClock, CpuFigure } from './cpu-clock';
import { CpuSampler, processSamplerInputs, SAMPLING_PERIOD_MS } from './cpu-sampler';
import { chooseSliceClock } from './slice-clock';

/** CPU charged to one unit of work; nested units also charge their parents. */
export class CpuAccount {
  busyMs = 0;
  constructor(
    readonly parent: CpuAccount | undefined,
    /** The probability that a unit like this one is measured (see `CpuSampler`). */
    readonly rate: number,
    readonly openedAt: number,
  ) {}
}

/**
 * What the accounting costs, by the things it counts, for its own estimate (see `CpuSampler`).
 * Measured in an application rather than in a micro-bench: the switches of the hooks and the
 * storage on and off, timed in an Express hello process on Node 24, cost 3.5 µs (enable 2, disable
 * 1, storage 0.3–0.4) where the micro-bench gave 2; a sampled request runs the hooks cold, so a
 * callback costs it more than the 2.5 µs measured with every request accounted. 4 µs per callback
 * is a conservative figure, not a measurement: with it, sampling at the default budget cost 0.8 %
 * of that process's CPU (IQR 0.2–1.1 %, bench/TARGETS-NOTES.md). Per callback: async_hooks
 * before/after, two clock reads, AsyncLocalStorage's propagation; per unit opened: an account and
 * a storage `run`, 1 µs. Where promise reactions go through `v8.promiseHooks` (see
 * `callbackHooks`) a callback costs about a quarter less, so the same figure errs further on the
 * safe side there.
 */
const MS_PER_CALLBACK = 0.004;
const MS_PER_UNIT = 0.001;
const MS_PER_SWITCH = 0.0035;
/**
 * What a bystander (a callback no open account owns) costs: the hooks run, but no clock is read
 * and no owner changes. The hooks' before/after and AsyncLocalStorage's propagation cost 0.5–1 µs
 * per await (0.49 + 0.52 µs on Node 20, 0.45 + 0.09 on Node 24, async-context bench), so 1 µs.
 * Counted at {@link MS_PER_CALLBACK}, the few hundred callbacks a second of an idle process's own
 * timers would outweigh the 1 ms a second always allowed, and a long unit be given up for nothing.
 */
const MS_PER_BYSTANDER = 0.001;

/**
 * Attributes event-loop time to the unit of work that owns the running callback: every
 * callback runs between the hooks' `before` and `after` (`callbackHooks`), and the async context
 * says whose it is. A unit's figure therefore excludes the work of the units it overlapped with.
 *
 * One engine per process (shared through `globalThis`, so both builds of the package agree). Its
 * hooks and its AsyncLocalStorage are on only while some account is open: when no unit is being
 * measured, the application pays nothing for them (on Node 20 an enabled AsyncLocalStorage alone
 * costs about 0.5 µs per await).
 */
class AttributedCpuEngine {
  private readonly storage = new AsyncLocalStorage<CpuAccount>();
  private readonly now = chooseSliceClock().read;
  private readonly stack: Array<CpuAccount | undefined> = [];
  private current: CpuAccount | undefined;
  private sliceStart = 0;
  private openAccounts = 0;
  private callbacks = 0;
  private bystanders = 0;
  private switchesOn = 0;
  private unitsOpened = 0;
  private readonly hooks = callbackHooks(
    () => {
      this.callbacks++;
      const account = this.storage.getStore();
      if (account === undefined) this.bystanders++;
      this.enter(account);
    },
    () => this.leave(),
  );

  /**
   * What the accounting has cost so far, estimated (ms): the callbacks it saw, the units it
   * opened and the times it was switched on and off, at their measured costs (see the constants).
   */
  costMs(): number {
    return (
      this.callbacks * MS_PER_CALLBACK +
      this.unitsOpened * MS_PER_UNIT +
      this.switchesOn * MS_PER_SWITCH
    );
  }

  /** What callbacks that belong to no measured unit cost the process, estimated (ms). */
  bystanderCostMs(): number {
    return this.bystanders * MS_PER_BYSTANDER;
  }

  /** The account of the code running now, if it runs inside a measured unit. */
  enclosing(): CpuAccount | undefined {
    return this.openAccounts > 0 ? this.storage.getStore() : undefined;
  }

  open(rate: number, openedAt: number): CpuAccount {
    this.unitsOpened++;
    if (this.openAccounts++ === 0) {
      this.switchesOn++;
      this.hooks.enable();
    }
    return new CpuAccount(this.storage.getStore(), rate, openedAt);
  }

  close(): void {
    if (this.openAccounts > 0 && --this.openAccounts === 0) {
      this.hooks.disable();
      // The next `run` enables it again; meanwhile no context is propagated for us.
      this.storage.disable();
      this.stack.length = 0;
      this.current = undefined;
    }
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

/** A unit still open after this long is given up, so a unit that never ends cannot keep the hooks on. */
export const ABANDON_AFTER_MS = 60_000;
/**
 * A unit open this long when a period's bystanders cost more than it allowed is given up: while it
 * is open, every callback of the process runs through the hooks, so one long request measured on a
 * busy process cost every other request about 7 % more CPU until it ended (Node 24, Express
 * hello, bench/src/http/long-unit.ts).
 */
export const GIVE_UP_DEAR_AFTER_MS = SAMPLING_PERIOD_MS;

/**
 * CPU time attributed through the async context (see `AttributedCpuEngine`), for every unit
 * (`budget` false) or for a sample of them that keeps the accounting's cost within `budget` of the
 * process's CPU (see `CpuSampler`). A unit not sampled has no mark (`undefined`) and costs a
 * comparison.
 */
export class AttributedCpuClock implements CpuClock<CpuAccount | undefined> {
  private readonly engine = sharedEngine();
  private readonly sampler: CpuSampler | undefined;
  private readonly open = new Set<CpuAccount>();
  private lastSweep = performance.now();
  private disposed = false;

  constructor(budget: number | false = false) {
    this.sampler =
      budget === false
        ? undefined
        : new CpuSampler(
            budget,
            processSamplerInputs(
              () => this.engine.costMs(),
              () => this.engine.bystanderCostMs(),
            ),
          );
  }

  begin(now: number = performance.now()): CpuAccount | undefined {
    if (this.disposed) return undefined;
    if (now - this.lastSweep >= ABANDON_AFTER_MS) {
      this.lastSweep = now;
      this.giveUpOpenedBefore(now - ABANDON_AFTER_MS);
    }
    const rate = this.sampler === undefined ? 1 : this.sampleWith(this.sampler, now);
    if (rate === 0) return undefined;
    const account = this.engine.open(rate, now);
    this.open.add(account);
    return account;
  }

  run<T>(account: CpuAccount | undefined, work: () => T): T {
    return account === undefined ? work() : this.engine.run(account, work);
  }

  end(account: CpuAccount | undefined): CpuFigure | undefined {
    if (account === undefined || !this.open.delete(account)) return undefined;
    const ms = this.engine.elapsedMs(account);
    this.engine.close();
    return { ms, rate: account.rate };
  }

  /** The measured unit the running code belongs to, if any (for readings that cannot wrap it). */
  enclosing(): CpuAccount | undefined {
    return this.engine.enclosing();
  }

  /** Whether the account is still measured: neither ended nor given up (its figure would be short). */
  measures(account: CpuAccount): boolean {
    return this.open.has(account);
  }

  /** An open account's CPU so far. */
  elapsedMs(account: CpuAccount): number {
    return this.engine.elapsedMs(account);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const account of this.open) this.abandon(account);
  }

  private sampleWith(sampler: CpuSampler, now: number): number {
    const overruns = sampler.bystanderOverruns;
    const rate = sampler.sample(now);
    if (sampler.bystanderOverruns !== overruns)
      this.giveUpOpenedBefore(now - GIVE_UP_DEAR_AFTER_MS);
    return rate;
  }

  private giveUpOpenedBefore(time: number): void {
    for (const account of this.open) if (account.openedAt <= time) this.abandon(account);
  }

  private abandon(account: CpuAccount): void {
    this.open.delete(account);
    this.engine.close();
  }
}
