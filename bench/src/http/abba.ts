/**
 * A/B comparison in ABBA blocks: baseline, variant, variant, baseline (or BAAB). Within a block, a
 * drift of the machine's speed that is linear in time weighs on both sides equally, so the block's
 * ratio cancels it; the neighbours' slower swings are what the same-round ratio of the rotating
 * runner cannot take out. Which side goes first alternates between rounds, so whatever favours the
 * first (or the last warmed) server cancels out over the rounds too.
 */
export type Side = 'baseline' | 'variant';

const BLOCK: readonly Side[] = ['baseline', 'variant', 'variant', 'baseline'];
const REVERSED_BLOCK: readonly Side[] = ['variant', 'baseline', 'baseline', 'variant'];

/** The side that goes first in a round (and is warmed up first): baseline in even rounds. */
export function firstSideOf(round: number): Side {
  return round % 2 === 0 ? 'baseline' : 'variant';
}

export function abbaSchedule(blocks: number, first: Side = 'baseline'): Side[] {
  const block = first === 'baseline' ? BLOCK : REVERSED_BLOCK;
  return Array.from({ length: blocks }, () => block).flat();
}

/** What one load slice measured on the server that received it. */
export interface Slice {
  side: Side;
  /** Requests the load generator completed, and over how many seconds. */
  requests: number;
  durationS: number;
  /** The server's CPU time over the slice (µs), and the requests it received. */
  cpuUs: number;
  /** Of `cpuUs`, the time in the kernel (µs); not recorded before the eighth session. */
  systemUs?: number;
  serverRequests: number;
}

export interface BlockRatio {
  /** Variant req/s ÷ baseline req/s over the block. */
  throughput: number;
  /** Baseline CPU µs per request ÷ the variant's over the block. */
  cpu: number;
}

/** One ratio per complete block of four slices (in schedule order). */
export function blockRatios(slices: readonly Slice[]): BlockRatio[] {
  const out: BlockRatio[] = [];
  for (let i = 0; i + BLOCK.length <= slices.length; i += BLOCK.length) {
    const block = slices.slice(i, i + BLOCK.length);
    const side = (s: Side) => block.filter((x) => x.side === s);
    const rps = (xs: Slice[]) =>
      xs.reduce((a, x) => a + x.requests, 0) / xs.reduce((a, x) => a + x.durationS, 0);
    const cpuPerReq = (xs: Slice[]) =>
      xs.reduce((a, x) => a + x.cpuUs, 0) / xs.reduce((a, x) => a + x.serverRequests, 0);
    const b = side('baseline');
    const v = side('variant');
    out.push({ throughput: rps(v) / rps(b), cpu: cpuPerReq(b) / cpuPerReq(v) });
  }
  return out;
}
