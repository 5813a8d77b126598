import { recorderFor } from '../http/http-request-recorder';
import type { StatsdRuntime } from '../runtime/statsd-runtime';
import { parseOwnLine, type RecordedMetric } from './recorded-metric';

type MockClient = { mockBuffer?: string[] };

/**
 * Every metric an application recorded, kept in memory for its tests (provided by
 * `StatsdTestingModule`). Queries flush first, so they see everything recorded so far; after
 * HTTP requests, `await recorder.settled()` waits until their responses were recorded.
 *
 * Names may be given with or without the module prefix; `tags` match when each given tag is present
 * with that value.
 */
export class StatsdRecorder {
  private readonly recorded: RecordedMetric[] = [];

  /** @internal Created by `StatsdTestingModule`. */
  constructor(private readonly runtime: StatsdRuntime) {}

  /** Waits until every HTTP request begun so far has been recorded. */
  async settled(): Promise<void> {
    await recorderFor(this.runtime).whenIdle();
  }

  /** Every value recorded, in order. */
  all(): RecordedMetric[] {
    this.runtime.flush();
    const client = this.runtime.client as unknown as MockClient;
    const lines = client.mockBuffer ?? [];
    for (const line of lines.splice(0, lines.length)) this.recorded.push(...parseOwnLine(line));
    return [...this.recorded];
  }

  /** The records of a metric, optionally only those carrying the given tags. */
  find(name: string, tags: Record<string, string | number | boolean> = {}): RecordedMetric[] {
    const fullName = this.runtime.options.prefix + name;
    return this.all().filter(
      (metric) =>
        (metric.name === name || metric.name === fullName) &&
        Object.entries(tags).every(([key, value]) => metric.tags[key] === String(value)),
    );
  }

  /** The values of a metric (numbers; set members are left out). */
  values(name: string, tags?: Record<string, string | number | boolean>): number[] {
    return this.find(name, tags)
      .map((metric) => metric.value)
      .filter((value): value is number => typeof value === 'number');
  }

  /** How many values a metric received (for counters, the sum is `values(name)` added up). */
  count(name: string, tags?: Record<string, string | number | boolean>): number {
    return this.find(name, tags).length;
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    this.all();
    this.recorded.length = 0;
  }
}
