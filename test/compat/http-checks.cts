/**
 * Shared by the CommonJS and ES module HTTP consumers of the packed package that `npm run compat`
 * runs on each NestJS major: a local UDP sink, a DogStatsD line parser and the assertions. It
 * imports nothing from Nest or nestjs-statsd, so each consumer loads those through its own format.
 */
import { createSocket } from 'node:dgram';

export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** The metric prefix the consumers configure. */
export const PREFIX = 'compat';

const HANDLER_TAGS = {
  controller: 'CompatController',
  handler: 'getItem',
  route: '/compat/items/:id',
  method: 'GET',
} as const;

/** A request the consumers make, and the tags its `http.request` timing must carry. */
export interface CompatRequest {
  readonly path: string;
  readonly status: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * An answered request, and one whose handler throws: its `error` tag comes from the library's
 * hook into `@nestjs/core/exceptions/exceptions-handler.js`, a deep import worth checking from
 * both builds on every major.
 */
export const REQUESTS: readonly CompatRequest[] = [
  {
    path: '/compat/items/42',
    status: 200,
    tags: { ...HANDLER_TAGS, status: '200', status_class: '2xx' },
  },
  {
    path: '/compat/items/0',
    status: 404,
    tags: { ...HANDLER_TAGS, status: '404', status_class: '4xx', error: 'NotFoundException' },
  },
];

export interface UdpSink {
  readonly port: number;
  readonly lines: string[];
  close(): Promise<void>;
}

/** A UDP socket on 127.0.0.1 and an OS-chosen port that keeps every line it receives. */
export function listenUdp(): Promise<UdpSink> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const lines: string[] = [];
    socket.on('message', (message) => {
      for (const line of message.toString('utf8').split('\n')) if (line !== '') lines.push(line);
    });
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      resolve({
        port: socket.address().port,
        lines,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}

export interface MetricLine {
  readonly name: string;
  readonly values: string[];
  readonly type: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** Parses `name:v1[:v2…]|type[|@rate][|#k:v,…]`; a tag's key ends at its first `:`. */
export function parseLine(line: string): MetricLine | undefined {
  const [head, type, ...sections] = line.split('|');
  if (head === undefined || type === undefined) return undefined;
  const [name, ...values] = head.split(':');
  const tags = new Map<string, string>();
  for (const section of sections) {
    if (!section.startsWith('#')) continue;
    for (const tag of section.slice(1).split(',')) {
      const colon = tag.indexOf(':');
      if (colon > 0) tags.set(tag.slice(0, colon), tag.slice(colon + 1));
    }
  }
  return name === undefined ? undefined : { name, values, type, tags };
}

/** Resolves with the first request timing with this status, or rejects listing what came. */
export async function waitForRequestLine(
  sink: UdpSink,
  status: number,
  timeoutMs = 5000,
): Promise<MetricLine> {
  const wanted = `${PREFIX}.http.request`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of sink.lines) {
      const parsed = parseLine(line);
      if (
        parsed?.name === wanted &&
        parsed.type === 'ms' &&
        parsed.tags.get('status') === String(status)
      ) {
        return parsed;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no ${wanted} timing with status ${status} arrived within ${timeoutMs} ms; received:\n  ${sink.lines.join('\n  ') || '(nothing)'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Throws unless the line carries one timing value, every expected tag and no unexpected error. */
export function checkRequestLine(
  line: MetricLine,
  adapter: AdapterName,
  request: CompatRequest,
): void {
  const expected: Record<string, string> = { ...request.tags, adapter };
  const wrong = Object.entries(expected).filter(([key, value]) => line.tags.get(key) !== value);
  if (!('error' in expected) && line.tags.has('error')) wrong.push(['error', '(none)']);
  if (wrong.length > 0) {
    const seen = [...line.tags].map(([key, value]) => `${key}:${value}`).join(',');
    const detail = wrong.map(
      ([key, value]) => `${key} (expected ${value}, got ${line.tags.get(key)})`,
    );
    throw new Error(`${adapter} GET ${request.path}: wrong tags ${detail.join('; ')} in #${seen}`);
  }
  if (line.values.length !== 1 || !(Number(line.values[0]) >= 0)) {
    throw new Error(
      `${adapter} GET ${request.path}: expected one duration, got ${line.values.join(':')}`,
    );
  }
}

/** Throws unless nestjs-statsd was loaded from the build of the consumer's own format. */
export function checkEntry(format: 'cjs' | 'esm', entryFile: string): void {
  const expected = `/node_modules/nestjs-statsd/dist/${format}/index.js`;
  if (!entryFile.replace(/\\/g, '/').endsWith(expected)) {
    throw new Error(`${format}: nestjs-statsd resolved to ${entryFile}, expected …${expected}`);
  }
}

/** One line for the compat log: what was checked and what arrived. */
export function describeLine(line: MetricLine): string {
  const tags = [...line.tags].map(([key, value]) => `${key}:${value}`).join(',');
  return `${line.name}:${line.values.join(':')}|${line.type}|#${tags}`;
}
