import { createServer } from 'node:net';

/**
 * `preferred` when nothing listens on it, otherwise a free port picked by the OS.
 * (Checked just before listening; good enough for a sample.)
 */
export async function freePort(preferred: number, host?: string): Promise<number> {
  try {
    return await probe(preferred, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return probe(0, host);
  }
}

function probe(port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}
