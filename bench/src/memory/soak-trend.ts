import { linearRegression } from '../common/stats';

/** Growth above this, in MB per minute, counts. */
export const GROWTH_MB_PER_MIN = 1;

export interface Trend {
  /** Least-squares slope over the samples after the warm-up. */
  slopeMbPerMin: number;
  r2: number;
  /** The same slope over each half of those samples. */
  halvesMbPerMin?: [number, number];
  growing: boolean;
}

/**
 * Whether one quantity of a soak's samples (`pick`, in MB) grows over the samples taken from
 * `skipS` on: a slope above {@link GROWTH_MB_PER_MIN} with r² ≥ 0.5 over them all, and above it
 * in each half too. V8 resizes its heap in steps (once in five minutes of Express hello, in the
 * instrumented and the uninstrumented app alike): one step makes a whole-run slope read as growth,
 * but lies in one half only, where a leak grows in both.
 */
export function trendOf<Sample extends { t: number }>(
  samples: readonly Sample[],
  skipS: number,
  pick: (sample: Sample) => number,
): Trend {
  const steady = samples.filter((s) => s.t >= skipS);
  const slopeOf = (part: readonly Sample[]) =>
    linearRegression(
      part.map((s) => s.t / 60),
      part.map(pick),
    );
  const { slope, r2 } = slopeOf(steady);
  const middle = Math.floor(steady.length / 2);
  const halves: [number, number] = [
    slopeOf(steady.slice(0, middle)).slope,
    slopeOf(steady.slice(middle)).slope,
  ];
  return {
    slopeMbPerMin: slope,
    r2,
    halvesMbPerMin: halves,
    growing:
      slope > GROWTH_MB_PER_MIN && r2 >= 0.5 && halves.every((half) => half > GROWTH_MB_PER_MIN),
  };
}
