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
 * Whether a series of (seconds, MB) points grows: a slope above {@link GROWTH_MB_PER_MIN} with
 * r² ≥ 0.5 over the whole run, and above it in each half too. V8 resizes its heap in steps (once
 * in five minutes of Express hello, in the instrumented and the uninstrumented app alike): one
 * step makes a whole-run slope read as growth, but lies in one half only, where a leak grows in
 * both.
 */
export function trendOf(points: readonly { t: number; mb: number }[]): Trend {
  const slopeOf = (part: readonly { t: number; mb: number }[]) =>
    linearRegression(
      part.map((p) => p.t / 60),
      part.map((p) => p.mb),
    );
  const { slope, r2 } = slopeOf(points);
  const middle = Math.floor(points.length / 2);
  const halves: [number, number] = [
    slopeOf(points.slice(0, middle)).slope,
    slopeOf(points.slice(middle)).slope,
  ];
  return {
    slopeMbPerMin: slope,
    r2,
    halvesMbPerMin: halves,
    growing:
      slope > GROWTH_MB_PER_MIN && r2 >= 0.5 && halves.every((half) => half > GROWTH_MB_PER_MIN),
  };
}
