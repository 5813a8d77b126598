import type { ParsedMetric } from './dogstatsd.parser';
import { SampleWindow } from './sample.window';

/** Which metric names carry the per-request timings (with the app's prefix). */
export interface RequestMetricNames {
  readonly wall: string;
  readonly cpu: string;
}

/** What the sink knows about one route (controller, handler, route template, method). */
export interface RouteStats {
  readonly method: string;
  readonly route: string;
  readonly handler: string;
  count: number;
  readonly wall: SampleWindow;
  readonly cpu: SampleWindow;
  /** status code → count, e.g. `200 → 41`. */
  readonly statuses: Map<string, number>;
  /** exception class → count, from the `error` tag. */
  readonly errors: Map<string, number>;
}

/** Any other series: one per name, type and tags. */
export interface OtherStats {
  readonly name: string;
  readonly type: string;
  readonly tags: string;
  /** Values received (scaled by the sample rate). */
  count: number;
  sum: number;
  last: number;
  readonly window: SampleWindow;
  readonly members: Set<string>;
}

/** Aggregates parsed metrics into per-route rows and a list of other series. */
export class MetricsStore {
  readonly routes = new Map<string, RouteStats>();
  readonly others = new Map<string, OtherStats>();
  lines = 0;
  skipped = 0;

  /**
   * @param names the request metrics to show per route
   * @param hiddenTags tag keys left out of the "other metrics" section (e.g. global tags)
   */
  constructor(
    private readonly names: RequestMetricNames,
    private readonly hiddenTags: ReadonlySet<string> = new Set(),
  ) {}

  add(metric: ParsedMetric): void {
    this.lines++;
    if (metric.name === this.names.wall) this.addRequest(metric, 'wall');
    else if (metric.name === this.names.cpu) this.addRequest(metric, 'cpu');
    else this.addOther(metric);
  }

  private addRequest(metric: ParsedMetric, kind: 'wall' | 'cpu'): void {
    const route = this.routeFor(metric.tags);
    const window = route[kind];
    for (const value of metric.values) window.add(Number(value));
    if (kind === 'cpu') return;

    const received = metric.values.length / metric.sampleRate;
    route.count += received;
    increment(route.statuses, metric.tags['status'] ?? '?', received);
    const error = metric.tags['error'];
    if (error !== undefined) increment(route.errors, error, received);
  }

  private routeFor(tags: Readonly<Record<string, string>>): RouteStats {
    const method = tags['method'] ?? '?';
    const route = tags['route'] ?? '(no route)';
    const handler = tags['controller'] ? `${tags['controller']}.${tags['handler'] ?? '?'}` : '-';
    const key = `${method} ${route} ${handler}`;
    let stats = this.routes.get(key);
    if (!stats) {
      stats = {
        method,
        route,
        handler,
        count: 0,
        wall: new SampleWindow(),
        cpu: new SampleWindow(),
        statuses: new Map(),
        errors: new Map(),
      };
      this.routes.set(key, stats);
    }
    return stats;
  }

  private addOther(metric: ParsedMetric): void {
    const tags = Object.entries(metric.tags)
      .filter(([key]) => !this.hiddenTags.has(key))
      .map(([key, value]) => (value === '' ? key : `${key}:${value}`))
      .sort()
      .join(',');
    const key = `${metric.name}|${metric.type}|${tags}`;
    let stats = this.others.get(key);
    if (!stats) {
      stats = {
        name: metric.name,
        type: metric.type,
        tags,
        count: 0,
        sum: 0,
        last: 0,
        window: new SampleWindow(),
        members: new Set(),
      };
      this.others.set(key, stats);
    }
    for (const value of metric.values) {
      if (typeof value === 'string') {
        stats.members.add(value);
        stats.count++;
        continue;
      }
      stats.count += 1 / metric.sampleRate;
      stats.sum += metric.type === 'c' ? value / metric.sampleRate : value;
      stats.last = value;
      stats.window.add(value);
    }
  }
}

function increment(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
