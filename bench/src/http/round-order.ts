/** Variant order for one round: rotated so each variant runs early in some rounds and late in others. */
export function roundOrder<T>(items: readonly T[], round: number, rounds: number): T[] {
  const n = items.length;
  const offset = Math.floor((round * n) / Math.max(rounds, 1)) % n;
  return [...items.slice(offset), ...items.slice(0, offset)];
}
