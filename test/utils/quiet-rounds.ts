import { performance } from 'node:perf_hooks';
import { timeTakenAwayMs } from './cpu-work';
import { GcPauses } from './gc-pauses';

/**
 * Where the slice clock is wall time (Node 20, and Node 22+ on a kernel whose per-thread clock is
 * coarse), time the machine takes the core away mid-callback counts in a unit's figure, and
 * another tenant of a shared machine can take milliseconds, a quarter of a 2 ms burn. The CPU
 * specs set aside a round during which the machine kept this thread off a core for longer than
 * this (`timeTakenAwayMs`: any steal the hypervisor reports, in 10 ms ticks, is more), unless too
 * few others were left alone.
 */
export const MAX_STOLEN_MS = 3;

/** Runs `work`; also says how long the machine took the core away meanwhile (0 where unknown). */
export async function withStolenTime<T>(
  work: () => Promise<T>,
): Promise<{ value: T; stolenMs: number }> {
  const waitedBefore = timeTakenAwayMs();
  const value = await work();
  const waitedAfter = timeTakenAwayMs();
  const stolenMs =
    waitedBefore === undefined || waitedAfter === undefined ? 0 : waitedAfter - waitedBefore;
  return { value, stolenMs };
}

/** What rounds sent until enough were measured give to judge, and how the rounds went. */
export interface QuietRounds<T> {
  samples: T[];
  /** The rounds sent, how many were set aside, what the machine took away and V8 collected. */
  note: string;
}

/**
 * Sends rounds (`round(index)`, each giving its samples) until `enough` holds for the samples of
 * the rounds during which the machine took the core away for at most {@link MAX_STOLEN_MS}, or
 * `maxRounds` were sent. Those rounds' samples are judged, or every round's when too few were
 * left alone.
 */
export async function roundsUntilEnough<T>(
  round: (index: number) => Promise<T[]>,
  enough: (samples: readonly T[]) => boolean,
  maxRounds: number,
): Promise<QuietRounds<T>> {
  const quiet: T[] = [];
  const all: T[] = [];
  /** The rounds that gave samples: what the machine took away, and when each ran. */
  const sampled: Array<{ stolenMs: number; startedAt: number; endedAt: number }> = [];
  const gcPauses = new GcPauses();
  let rounds = 0;
  try {
    while (rounds < maxRounds && !enough(quiet)) {
      const startedAt = performance.now();
      const { value: samples, stolenMs } = await withStolenTime(() => round(rounds++));
      all.push(...samples);
      if (samples.length > 0) sampled.push({ stolenMs, startedAt, endedAt: performance.now() });
      if (stolenMs <= MAX_STOLEN_MS) quiet.push(...samples);
    }
  } finally {
    await gcPauses.close();
  }
  const quietEnough = enough(quiet);
  const taken =
    timeTakenAwayMs() === undefined
      ? 'unknown'
      : sampled.map(({ stolenMs }) => stolenMs.toFixed(1)).join(', ');
  const collected = sampled
    .map(({ startedAt, endedAt }) => gcPauses.totalMs(startedAt, endedAt).toFixed(1))
    .join(', ');
  const judged = quietEnough
    ? `judged the ${sampled.filter(({ stolenMs }) => stolenMs <= MAX_STOLEN_MS).length} during which it took the core away ≤ ${MAX_STOLEN_MS} ms`
    : 'judged them all (too few were left alone)';
  return {
    samples: quietEnough ? quiet : all,
    note: `${rounds} rounds sent, ${sampled.length} gave samples, ${judged}; in each round that gave samples, the time the machine took the core away (ms): ${taken}; V8's collection pauses (ms): ${collected}`,
  };
}
