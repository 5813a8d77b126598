import { max, median, min, quantile } from '../common/stats';
import type { BlockRatio, Side, Slice } from './abba';
import type { HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import type { Delivery } from './delivery';

/** One baseline/variant pair of servers: its load slices and the ratio of each ABBA block. */
export interface PairResult {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  round: number;
  slices: Slice[];
  blocks: BlockRatio[];
  delivery: Delivery;
}

/** One variant over all its pairs: ratios as median, quartiles and extremes over blocks. */
export interface PairedSummary {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  /** Pairs of fresh servers (one per round) and the ABBA blocks they measured. */
  pairs: number;
  blocks: number;
  throughput: Spread;
  cpu: Spread;
  /** Median CPU µs per request of the baseline and of the variant slices. */
  baselineCpuUs: number;
  variantCpuUs: number;
  deliveryOk: boolean;
}

export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: min(values),
    max: max(values),
  };
}

/**
 * Pools the blocks of every pair of a variant. Two servers of the same build differ by a few per
 * cent in speed (memory layout, JIT): that is why every round starts a fresh pair.
 */
export function summarizePairs(pairs: readonly PairResult[]): PairedSummary[] {
  const groups = new Map<string, PairResult[]>();
  for (const p of pairs) {
    const key = `${p.adapter}\u0000${p.handler}\u0000${p.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const blocks = group.flatMap((p) => p.blocks);
    const slices = group.flatMap((p) => p.slices);
    const cpuPerReq = (side: Side) =>
      median(slices.filter((s) => s.side === side).map((s) => s.cpuUs / s.serverRequests));
    return {
      adapter: first.adapter,
      handler: first.handler,
      variant: first.variant,
      pairs: group.length,
      blocks: blocks.length,
      throughput: spread(blocks.map((b) => b.throughput)),
      cpu: spread(blocks.map((b) => b.cpu)),
      baselineCpuUs: cpuPerReq('baseline'),
      variantCpuUs: cpuPerReq('variant'),
      deliveryOk: group.every((p) => p.delivery.ok),
    };
  });
}
