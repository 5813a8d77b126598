import type { StatsdFlavor } from '../options/statsd-options.interface';
import { buildSeriesFormat, type MetricType } from './series-format';
import { Series } from './series';

/** What the aggregator needs to know to build and bound series. */
export interface AggregatorSettings {
  flavor: StatsdFlavor;
  sampleRate: number;
  maxTagCombinations: number;
  maxMetricNames: number;
  /** DogStatsD fields after the tags on every line (`|c:…|e:…`), '' for none. */
  originFields: string;
  /** Called once per metric name when its tag-combination limit is reached. */
  onCardinalityLimit(name: string): void;
  /** Called once when the metric-name limit is reached. */
  onNameLimit(): void;
}

/** Tag value that replaces user tag values beyond the tag-combination limit. */
export const OVERFLOW_TAG_VALUE = 'other';

/**
 * Client-side aggregation: one `Series` per distinct (name, type, tags), created once and then
 * only appended to. `flush` turns everything waiting into lines. Series are never evicted, so
 * callers may cache them; memory is bounded by the name and tag-combination limits.
 */
export class Aggregator {
  private readonly seriesByKey = new Map<string, Series>();
  private readonly combinationsByName = new Map<string, number>();
  /** The one series per name that takes every combination beyond the limit. */
  private readonly overflowByName = new Map<string, Series>();
  private readonly warnedNames = new Set<string>();
  private nameLimitReported = false;
  /** Values dropped because the metric-name limit was reached. */
  droppedForNameLimit = 0;

  constructor(private readonly settings: AggregatorSettings) {}

  /**
   * The series for a sanitized, prefixed name and `[key, value]` tags (global tags first,
   * `globalTagCount` of them); `undefined` when the name limit drops it.
   */
  series(name: string, type: MetricType, tags: ReadonlyArray<readonly [string, string]>, globalTagCount: number): Series | undefined {
    const key = seriesKey(name, type, tags);
    const existing = this.seriesByKey.get(key);
    if (existing) return existing;
    const combinations = this.combinationsByName.get(name) ?? 0;
    if (combinations === 0 && this.combinationsByName.size >= this.settings.maxMetricNames) {
      if (!this.nameLimitReported) {
        this.nameLimitReported = true;
        this.settings.onNameLimit();
      }
      this.droppedForNameLimit++;
      return undefined;
    }
    if (combinations >= this.settings.maxTagCombinations && tags.length > globalTagCount) {
      return this.overflowSeries(name, type, tags, globalTagCount);
    }
    this.combinationsByName.set(name, combinations + 1);
    return this.create(key, name, type, tags);
  }

  /** Every waiting value, as lines of at most `maxLineBytes` bytes. */
  drainLines(maxLineBytes: number): string[] {
    const lines: string[] = [];
    for (const series of this.seriesByKey.values()) series.drainInto(lines, maxLineBytes);
    return lines;
  }

  /** Number of distinct series (for tests and diagnostics). */
  get size(): number {
    return this.seriesByKey.size;
  }

  /**
   * Beyond the limit, every new combination of a name (and type) goes to one series whose
   * non-global tag values read `other`, named after the first such combination's keys; so a name
   * never has more than the limit plus one series, whatever keys or values arrive.
   */
  private overflowSeries(name: string, type: MetricType, tags: ReadonlyArray<readonly [string, string]>, globalTagCount: number): Series {
    const overflowKey = `${type}\u0000${name}`;
    let series = this.overflowByName.get(overflowKey);
    if (series === undefined) {
      if (!this.warnedNames.has(name)) {
        this.warnedNames.add(name);
        this.settings.onCardinalityLimit(name);
      }
      const folded = tags.map(([tagKey, value], index) => [tagKey, index < globalTagCount ? value : OVERFLOW_TAG_VALUE] as const);
      series = this.create(seriesKey(name, type, folded), name, type, folded);
      this.overflowByName.set(overflowKey, series);
    }
    return series;
  }

  private create(key: string, name: string, type: MetricType, tags: ReadonlyArray<readonly [string, string]>): Series {
    const existing = this.seriesByKey.get(key);
    if (existing) return existing;
    return this.register(key, name, type, tags, 1);
  }

  /**
   * Builds a series sent at `rate` × the global sample rate and registers it for flushing. A
   * variant (`rate` < 1, see `Series.sampledAt`) is the same tag combination at another rate, so it
   * is not counted against the limits.
   */
  private register(key: string, name: string, type: MetricType, tags: ReadonlyArray<readonly [string, string]>, rate: number): Series {
    const { flavor, sampleRate, originFields } = this.settings;
    const variantAt = rate === 1 ? (variantRate: number) => this.register(`${key}\u0002${variantRate}`, name, type, tags, variantRate) : undefined;
    const series = new Series(buildSeriesFormat(flavor, name, type, sampleRate * rate, tags, originFields), type, flavor !== 'dogstatsd', variantAt);
    this.seriesByKey.set(key, series);
    return series;
  }
}

function seriesKey(name: string, type: MetricType, tags: ReadonlyArray<readonly [string, string]>): string {
  let key = `${type}\u0000${name}`;
  for (const [tagKey, value] of tags) key += `\u0000${tagKey}\u0001${value}`;
  return key;
}
