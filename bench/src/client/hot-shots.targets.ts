import { StatsD } from 'hot-shots';
import { TAGS, type TimingTarget } from './client.types';

/** hot-shots directly: defaults (one UDP send per metric), or buffered into 1432-byte datagrams. */
export function hotShotsTarget(port: number, buffered: boolean): TimingTarget {
  const client = new StatsD({
    host: '127.0.0.1',
    port,
    prefix: 'bench.',
    globalTags: { env: 'bench' },
    ...(buffered ? { maxBufferSize: 1432, bufferFlushInterval: 1000 } : {}),
  });
  const tags: Record<string, string> = { ...TAGS };
  return {
    name: buffered
      ? 'hot-shots timing (maxBufferSize 1432)'
      : 'hot-shots timing (defaults, unbuffered)',
    wireName: 'bench.client.timing',
    timing: (value) => client.timing('client.timing', value, tags),
    flush: () => new Promise<void>((resolve) => client.flush(() => resolve())),
    close: () => new Promise<void>((resolve) => client.close(() => resolve())),
  };
}
