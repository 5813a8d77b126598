import { DAEMON_HANDLE_KEY } from './daemon-env';
import { StatsdDaemon } from './statsd-daemon';

/** Jest `globalTeardown` of the e2e project: stops the daemon the global setup started. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<symbol, unknown>;
  const daemon = holder[DAEMON_HANDLE_KEY];
  delete holder[DAEMON_HANDLE_KEY];
  if (daemon instanceof StatsdDaemon) await daemon.stop();
}
