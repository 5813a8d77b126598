/** A unit's CPU time, and the probability that a unit like it was measured at all. */
export interface CpuFigure {
  readonly ms: number;
  /** 1 when every unit is measured; below 1 for a sampled unit (sent as `|@rate`). */
  readonly rate: number;
}

/**
 * Measures the CPU time of a unit of work (a request, a measured call). `begin` opens a
 * measurement, `run` executes code as part of it (only attributed accounting needs that), and
 * `end` closes it: its figure, or `undefined` when this unit was not measured (not sampled).
 */
export interface CpuClock<Mark = unknown> {
  /** `now`: `performance.now()` when the caller has just read it (saves a read per request). */
  begin(now?: number): Mark;
  run<T>(mark: Mark, work: () => T): T;
  end(mark: Mark): CpuFigure | undefined;
  /** Releases what the clock holds (async hooks). */
  dispose(): void;
}

/** The process's CPU time so far (user and system), in ms. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * The process's CPU time between begin and end. Exact for synchronous work; for overlapping
 * units it also counts everything else the process did meanwhile.
 */
export class ProcessCpuClock implements CpuClock<NodeJS.CpuUsage> {
  begin(): NodeJS.CpuUsage {
    return process.cpuUsage();
  }

  run<T>(_mark: NodeJS.CpuUsage, work: () => T): T {
    return work();
  }

  end(mark: NodeJS.CpuUsage): CpuFigure {
    const delta = process.cpuUsage(mark);
    return { ms: (delta.user + delta.system) / 1000, rate: 1 };
  }

  dispose(): void {}
}
