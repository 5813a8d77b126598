/**
 * Measures the CPU time of a unit of work (a request, a measured call). `begin` opens a
 * measurement, `run` executes code as part of it (only attributed accounting needs that), and
 * `elapsedMs` reads it.
 */
export interface CpuClock<Mark = unknown> {
  begin(): Mark;
  run<T>(mark: Mark, work: () => T): T;
  elapsedMs(mark: Mark): number;
  /** Releases what the clock holds (async hooks). */
  dispose(): void;
}

/**
 * The process's CPU time between begin and end. Exact for synchronous work; for overlapping
 * requests it also counts everything else the process did meanwhile.
 */
export class ProcessCpuClock implements CpuClock<NodeJS.CpuUsage> {
  begin(): NodeJS.CpuUsage {
    return process.cpuUsage();
  }

  run<T>(_mark: NodeJS.CpuUsage, work: () => T): T {
    return work();
  }

  elapsedMs(mark: NodeJS.CpuUsage): number {
    const delta = process.cpuUsage(mark);
    return (delta.user + delta.system) / 1000;
  }

  dispose(): void {}
}
