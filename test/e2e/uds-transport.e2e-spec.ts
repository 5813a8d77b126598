import { Test, type TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatsdModule, StatsdService } from '../../lib';

/** The part of `unix-dgram` (hot-shots' optional dependency for UDS) a receiving socket needs. */
interface UnixDgramSocket {
  bind(path: string): void;
  on(event: 'message', listener: (message: Buffer) => void): void;
  on(event: 'listening' | 'error', listener: (error?: Error) => void): void;
  close(): void;
}
type UnixDgram = { createSocket(type: 'unix_dgram'): UnixDgramSocket };

function loadUnixDgram(): UnixDgram | undefined {
  try {
    // A plain require: the optional dependency may be absent, which must skip the suite, not fail it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('unix-dgram') as UnixDgram;
  } catch {
    return undefined;
  }
}

const unixDgram = loadUnixDgram();
// hot-shots can only send over UDS when its optional native dependency was built.
const describeWithUds = unixDgram ? describe : describe.skip;

describeWithUds('UDS transport (a real Unix datagram socket)', () => {
  let directory: string;
  let server: UnixDgramSocket;
  let received: string[];
  let moduleRef: TestingModule | undefined;
  let onMessage: () => void = () => undefined;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'statsd-uds-'));
    received = [];
    server = (unixDgram as UnixDgram).createSocket('unix_dgram');
    server.on('message', (message) => {
      received.push(...message.toString().split('\n'));
      onMessage();
    });
    await new Promise<void>((resolve, reject) => {
      server.on('listening', () => resolve());
      server.on('error', (error) => reject(error));
      server.bind(join(directory, 'dsd.socket'));
    });
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function linesArrived(count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} lines, received ${JSON.stringify(received)}`)), 5000);
      onMessage = () => {
        if (received.length >= count) {
          clearTimeout(timer);
          resolve(received);
        }
      };
      onMessage();
    });
  }

  async function start(options: Parameters<typeof StatsdModule.forRoot>[0]): Promise<StatsdService> {
    moduleRef = await Test.createTestingModule({
      imports: [StatsdModule.forRoot({ prefix: 'app', http: false, flushInterval: 3_600_000, ...options })],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(StatsdService);
  }

  it('sends the lines to the socket given by protocol and path', async () => {
    const statsd = await start({ protocol: 'uds', path: join(directory, 'dsd.socket') });
    statsd.increment('orders.created', 2, { channel: 'web' });
    statsd.timing('checkout', 12.5);
    statsd.flush();

    await expect(linesArrived(2)).resolves.toEqual(['app.orders.created:2|c|#channel:web', 'app.checkout:12.5|ms']);
  });

  it('sends to the agent socket named by DD_DOGSTATSD_URL', async () => {
    process.env.DD_DOGSTATSD_URL = `unix://${join(directory, 'dsd.socket')}`;
    try {
      const statsd = await start({});
      statsd.gauge('queue.depth', 4);
      statsd.flush();

      await expect(linesArrived(1)).resolves.toEqual(['app.queue.depth:4|g']);
    } finally {
      delete process.env.DD_DOGSTATSD_URL;
    }
  });
});
