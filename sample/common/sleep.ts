import { setTimeout as delay } from 'node:timers/promises';

/** Waits a random time between `minMs` and `maxMs` (an I/O call stand-in: wall time, no CPU). */
export async function sleepBetween(minMs: number, maxMs: number): Promise<void> {
  await delay(minMs + Math.random() * (maxMs - minMs));
}
