import type { CpuFigure } from '../cpu/cpu-clock';
import type { StatsdRuntime } from '../runtime/statsd-runtime';
import type { Series } from '../wire/series';

/** Metric name (after the prefix) of one GraphQL operation; the CPU metric adds `.cpu`. */
export const GRAPHQL_METRIC = 'graphql.request';

/** How an operation ended: `error` when the response carries any error (partial data included). */
export type GraphqlOutcome = 'success' | 'error';

/** Beyond this many distinct type/name/outcome combinations the cache restarts (client-chosen names). */
const MAX_CACHED_SERIES = 10_000;

/**
 * Records `<prefix>.graphql.request` (wall) and `.cpu` per operation, tagged `operation_type`,
 * `operation_name` and `outcome`, with the series resolved once per combination.
 */
export class GraphqlOperationRecorder {
  private readonly cache = new Map<string, readonly [Series | undefined, Series | undefined]>();

  constructor(private readonly runtime: StatsdRuntime) {}

  record(
    type: string,
    name: string,
    outcome: GraphqlOutcome,
    wallMs: number,
    cpu: CpuFigure | undefined,
  ): void {
    if (!this.runtime.sampled()) return;
    const key = `${type}\u0000${name}\u0000${outcome}`;
    let pair = this.cache.get(key);
    if (pair === undefined) {
      const tags = [
        ['operation_type', type],
        ['operation_name', name],
        ['outcome', outcome],
      ] as const;
      const metricType = this.runtime.options.metricTypes.graphql;
      pair = [
        this.runtime.series(metricType, GRAPHQL_METRIC, tags),
        this.runtime.cpu === undefined
          ? undefined
          : this.runtime.series(metricType, `${GRAPHQL_METRIC}.cpu`, tags),
      ];
      if (this.cache.size >= MAX_CACHED_SERIES) this.cache.clear();
      this.cache.set(key, pair);
    }
    pair[0]?.add(wallMs);
    if (cpu !== undefined) pair[1]?.sampledAt(cpu.rate).add(cpu.ms);
    this.runtime.notePending(2);
  }
}
