import type { StatsdFlavor } from '../options/statsd-options.interface';
import { formatTag } from './sanitize';

/** StatsD metric types we send. */
export type MetricType = 'c' | 'g' | 'ms' | 'h' | 'd' | 's';

/**
 * How the lines of one series (a name, a type and a tag set) are written, computed once per
 * series: `head` + values (each followed by `valueSuffix`, joined with `:`) + `tail`.
 * `multiValue` is false where the format allows one value per line.
 */
export interface SeriesFormat {
  readonly head: string;
  readonly valueSuffix: string;
  readonly tail: string;
  readonly multiValue: boolean;
}

/**
 * The type sent for `type` to a flavor's servers. Etsy StatsD knows c, ms, g and s only (it would
 * count an `h` or `d` line as a counter); Telegraf's statsd input drops `d` values unless both its
 * `datadog_extensions` and `datadog_distributions` settings are on, and treats `h` as `ms`.
 */
export function wireTypeFor(flavor: StatsdFlavor, type: MetricType): MetricType {
  if (type === 'd' && flavor !== 'dogstatsd') return 'ms';
  if (type === 'h' && flavor === 'statsd') return 'ms';
  return type;
}

/**
 * Builds the wire layout of a series. `name` is already sanitized and prefixed; `tags` are
 * `[key, value]` pairs in output order (global tags first); `originFields` are DogStatsD's
 * fields after the tags (`|c:<container>|e:<external env>`, see `lib/origin`).
 *
 * - DogStatsD: `name:1:2:3|ms|@0.5|#k:v,k2:v2|c:id` (multi-value lines, protocol 1.1; not for sets)
 * - Telegraf: `name,k=v,k2=v2:1|ms|@0.5` (one value per line)
 * - StatsD: `name.k_v.k2_v2:1|ms|@0.5:2|ms|@0.5` (tags folded into the name)
 */
export function buildSeriesFormat(
  flavor: StatsdFlavor,
  name: string,
  type: MetricType,
  sampleRate: number,
  tags: ReadonlyArray<readonly [string, string]>,
  originFields = '',
): SeriesFormat {
  const rate = sampleRate < 1 && (type === 'c' || type === 'ms' || type === 'h' || type === 'd') ? `|@${sampleRate}` : '';
  const formatted = tags.map(([key, value]) => formatTag(flavor, key, value));
  type = wireTypeFor(flavor, type);
  switch (flavor) {
    case 'dogstatsd':
      return {
        head: `${name}:`,
        valueSuffix: '',
        tail: `|${type}${rate}${formatted.length > 0 ? `|#${formatted.join(',')}` : ''}${originFields}`,
        // The agent reads everything between the name and `|s` as one set member.
        multiValue: type !== 's',
      };
    case 'telegraf':
      return {
        head: `${name}${formatted.length > 0 ? `,${formatted.join(',')}` : ''}:`,
        valueSuffix: `|${type}${rate}`,
        tail: '',
        multiValue: false,
      };
    case 'statsd':
      return {
        head: `${[name, ...formatted].join('.')}:`,
        valueSuffix: `|${type}${rate}`,
        tail: '',
        multiValue: true,
      };
  }
}
