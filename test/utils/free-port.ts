import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Asks the OS for a UDP port that is free right now on `host` (bind to 0, read, release).
 * Another process may take it before you bind it: callers must handle EADDRINUSE.
 */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Same as {@link freeUdpPort} for a TCP port. */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error(`Unexpected TCP address ${String(address)}`);
  return address.port;
}
