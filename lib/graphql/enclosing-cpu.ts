import { AttributedCpuClock, type CpuAccount } from '../cpu/attributed-cpu-clock';
import type { CpuClock, CpuFigure } from '../cpu/cpu-clock';

/** A CPU reading started by {@link startCpuReading}; `read` gives the figure since the start. */
export interface CpuReading {
  read(): CpuFigure | undefined;
}

/**
 * Starts a CPU reading for work that cannot be wrapped in `clock.run` (an Apollo operation runs
 * between two plugin hooks). With attributed CPU the work runs in the account of the HTTP
 * request that carries it, so the reading is that account's growth between start and read, at
 * that request's sample rate. When the request is not measured (not sampled, or HTTP metrics
 * off) there is nothing to read: `undefined`. Process CPU is read as usual.
 */
export function startCpuReading(clock: CpuClock | undefined): CpuReading | undefined {
  if (clock === undefined) return undefined;
  if (clock instanceof AttributedCpuClock) {
    const enclosing = clock.enclosing();
    return enclosing === undefined
      ? undefined
      : new AccountGrowth(clock, enclosing, clock.elapsedMs(enclosing));
  }
  return new MarkReading(clock, clock.begin());
}

/** A clock whose `end` only reads (the process clock): reading it is ending a copy of the mark. */
class MarkReading implements CpuReading {
  constructor(
    private readonly clock: CpuClock,
    private readonly mark: unknown,
  ) {}

  read(): CpuFigure | undefined {
    return this.clock.end(this.mark);
  }
}

class AccountGrowth implements CpuReading {
  constructor(
    private readonly clock: AttributedCpuClock,
    private readonly account: CpuAccount,
    private readonly startMs: number,
  ) {}

  read(): CpuFigure | undefined {
    // A request given up meanwhile (see `AttributedCpuClock`) stopped counting: no figure.
    if (!this.clock.measures(this.account)) return undefined;
    return { ms: this.clock.elapsedMs(this.account) - this.startMs, rate: this.account.rate };
  }
}
