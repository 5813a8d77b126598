import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_REQUESTS, type DemoRequest } from './demo.requests';

/** What the demo burst did. */
export interface DemoSummary {
  readonly sent: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** status → count, in status order. */
  readonly statuses: ReadonlyMap<number, number>;
}

/**
 * Sends every {@link DEMO_REQUESTS} entry in a shuffled order from `concurrency` workers, each
 * pausing a little between requests, so the burst lasts a few seconds. Bodies are read to the end
 * (streams included). Network errors are counted, never thrown.
 */
export async function runDemoTraffic(
  baseUrl: string,
  concurrency = 6,
  pauseMs = 60,
): Promise<DemoSummary> {
  const queue = shuffle(
    DEMO_REQUESTS.flatMap((request) => Array<DemoRequest>(request.times).fill(request)),
  );
  const total = queue.length;
  const statuses = new Map<number, number>();
  let failed = 0;
  const started = performance.now();

  const worker = async (): Promise<void> => {
    for (let request = queue.pop(); request; request = queue.pop()) {
      try {
        const status = await send(baseUrl, request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      } catch {
        failed++;
      }
      await delay(Math.random() * pauseMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  return {
    sent: total,
    failed,
    elapsedMs: performance.now() - started,
    statuses: new Map([...statuses].sort(([a], [b]) => a - b)),
  };
}

/** One line: `demo traffic: 300 requests in 3.1 s (200×190 201×30 ...)`. */
export function describeSummary(summary: DemoSummary): string {
  const statuses = [...summary.statuses].map(([status, count]) => `${status}×${count}`).join(' ');
  const failed = summary.failed > 0 ? `, ${summary.failed} failed to connect` : '';
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  return `demo traffic: ${summary.sent} requests in ${seconds} s (${statuses}${failed})`;
}

async function send(baseUrl: string, request: DemoRequest): Promise<number> {
  const hasBody = request.body !== undefined;
  const response = await fetch(baseUrl + request.path, {
    method: request.method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...request.headers },
    body: hasBody ? JSON.stringify(request.body) : undefined,
  });
  await response.arrayBuffer();
  return response.status;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
