/** How many recent values each series keeps for its percentiles. */
export const WINDOW_SIZE = 4096;

/**
 * The most recent values of one series (a ring buffer), for percentiles that follow what the app
 * does now and memory that stays flat however long the sample runs.
 */
export class SampleWindow {
  private readonly values: Float64Array;
  private size = 0;
  private next = 0;

  constructor(capacity = WINDOW_SIZE) {
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    if (this.size < this.values.length) this.size++;
  }

  get length(): number {
    return this.size;
  }

  /** Nearest-rank percentiles, e.g. `percentiles([50, 95])`; NaN when empty. */
  percentiles(ranks: readonly number[]): number[] {
    if (this.size === 0) return ranks.map(() => Number.NaN);
    const sorted = this.values.slice(0, this.size).sort();
    return ranks.map((rank) => {
      const index = Math.ceil((rank / 100) * sorted.length) - 1;
      return sorted[Math.min(Math.max(index, 0), sorted.length - 1)] ?? Number.NaN;
    });
  }
}
