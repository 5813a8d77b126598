import { CpuAccount } from '../cpu/attributed-cpu-clock';
import type { CpuClock } from '../cpu/cpu-clock';

/** A CPU reading started by {@link startCpuReading}; `read` gives the milliseconds since. */
export interface CpuReading {
  read(): number;
}

/**
 * Starts a CPU reading for work that cannot be wrapped in `clock.run` (an Apollo operation runs
 * between two plugin hooks). With attributed CPU the work runs in the account of the HTTP
 * request that carries it, so the reading is that account's growth between start and read.
 * Without an enclosing account (HTTP metrics off) attributed CPU cannot be read: `undefined`.
 * Process CPU is read as usual.
 */
export function startCpuReading(clock: CpuClock | undefined): CpuReading | undefined {
  if (clock === undefined) return undefined;
  const mark = clock.begin();
  if (!(mark instanceof CpuAccount)) return new MarkReading(clock, mark);
  const enclosing = mark.parent;
  if (enclosing === undefined) return undefined;
  return new AccountGrowth(clock, enclosing, clock.elapsedMs(enclosing));
}

class MarkReading implements CpuReading {
  constructor(
    private readonly clock: CpuClock,
    private readonly mark: unknown,
  ) {}

  read(): number {
    return this.clock.elapsedMs(this.mark);
  }
}

class AccountGrowth implements CpuReading {
  constructor(
    private readonly clock: CpuClock,
    private readonly account: CpuAccount,
    private readonly startMs: number,
  ) {}

  read(): number {
    return this.clock.elapsedMs(this.account) - this.startMs;
  }
}
