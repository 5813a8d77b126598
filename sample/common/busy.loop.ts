/** Keeps the event loop busy for `ms` milliseconds (a CPU-bound work stand-in). Returns the spins. */
export function burnCpu(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}
