import {
  DAEMON_HANDLE_KEY,
  DAEMON_HOST_ENV,
  DAEMON_MGMT_PORT_ENV,
  DAEMON_PORT_ENV,
} from './daemon-env';
import { StatsdDaemon } from './statsd-daemon';

/**
 * Jest `globalSetup` of the e2e project: starts one StatsD daemon for the whole run, publishes
 * its address through `STATSD_DAEMON_HOST`, `STATSD_DAEMON_PORT` and `STATSD_DAEMON_MGMT_PORT`
 * (workers inherit the environment), and keeps the handle on `globalThis` for the teardown.
 */
export default async function globalSetup(): Promise<void> {
  const daemon = await StatsdDaemon.start();
  process.env[DAEMON_HOST_ENV] = daemon.host;
  process.env[DAEMON_PORT_ENV] = String(daemon.port);
  process.env[DAEMON_MGMT_PORT_ENV] = String(daemon.mgmtPort);
  (globalThis as Record<symbol, unknown>)[DAEMON_HANDLE_KEY] = daemon;
}
