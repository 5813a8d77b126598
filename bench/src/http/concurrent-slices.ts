import type { BlockRatio, Slice } from './abba';

/**
 * The ratio of one concurrent slice: the baseline and the variant server, on the same core, were
 * loaded during the same seconds. Whatever the machine's neighbours did then hit both, so the
 * ratio of their CPU per request keeps only what differs between the two servers; on this shared
 * VM two such slices of one pair agree within 1–3 % while the absolute cost swings by half
 * (bench/TARGETS-NOTES.md). Throughput: the variant's req/s over the baseline's (the scheduler
 * shares the core between two busy servers, so it follows the CPU ratio).
 */
export function concurrentRatio(baseline: Slice, variant: Slice): BlockRatio {
  const rps = (s: Slice) => s.requests / s.durationS;
  const cpuPerRequest = (s: Slice) => s.cpuUs / s.serverRequests;
  return {
    throughput: rps(variant) / rps(baseline),
    cpu: cpuPerRequest(baseline) / cpuPerRequest(variant),
  };
}
