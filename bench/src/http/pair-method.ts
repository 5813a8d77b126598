/** How the load reached a pair of servers: in ABBA turns (abba.ts) or at once (concurrent-slices.ts). */
export type PairMethod = 'abba' | 'concurrent';

/** What one pair measured, for the runner's banner and the report's list of runs. */
export function describeSlicing(method: PairMethod, blocks: number, sliceS: number): string {
  return method === 'concurrent'
    ? `${blocks} concurrent slice(s) of ${sliceS} s`
    : `${blocks} ABBA block(s) of ${sliceS} s slices`;
}
