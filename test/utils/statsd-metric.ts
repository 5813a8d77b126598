/** The three wire dialects the library can speak. */
export type StatsdFlavor = 'dogstatsd' | 'statsd' | 'telegraf';

/** Metric type letters: counter, gauge, timing, histogram, distribution, set. */
export type MetricType = 'c' | 'g' | 'ms' | 'h' | 'd' | 's';

/** One metric read from a line, whatever the flavor. */
export interface ParsedMetric {
  /** Metric name, without tags. */
  name: string;
  /** Numeric values, or the raw members for a set (`s`). */
  values: number[] | string[];
  type: MetricType;
  /** Present only when the line carries `|@rate`. */
  sampleRate?: number;
  /** Tags as key → value; a DogStatsD tag without `:` maps to `''`. */
  tags: Record<string, string>;
  /** DogStatsD `|c:` container id, when present. */
  containerId?: string;
  /** DogStatsD `|T` Unix timestamp in seconds, when present. */
  timestamp?: number;
}

/** Thrown for a line that does not follow the flavor's grammar; says why and which line. */
export class StatsdLineError extends Error {
  /**
   * @param line the offending line, as received
   * @param reason what is wrong with it
   * @param flavor the grammar it was checked against
   */
  constructor(
    readonly line: string,
    readonly reason: string,
    readonly flavor: StatsdFlavor,
  ) {
    super(`Invalid ${flavor} line ${JSON.stringify(line)}: ${reason}`);
    this.name = 'StatsdLineError';
  }
}
