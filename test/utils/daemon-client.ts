import { DAEMON_HOST_ENV, DAEMON_MGMT_PORT_ENV, DAEMON_PORT_ENV } from './daemon-env';
import { StatsdMgmtClient } from './statsd-mgmt-client';

/** Where the shared daemon listens, and a client for its management port. */
export interface SharedDaemon {
  host: string;
  /** UDP port to send metrics to. */
  port: number;
  mgmt: StatsdMgmtClient;
}

/**
 * Returns the daemon started by the e2e global setup, read from its env vars.
 * Throws when they are missing (the test is running outside the e2e project).
 */
export function sharedDaemon(env: NodeJS.ProcessEnv = process.env): SharedDaemon {
  const host = env[DAEMON_HOST_ENV] ?? '127.0.0.1';
  const port = readPort(env, DAEMON_PORT_ENV);
  const mgmtPort = readPort(env, DAEMON_MGMT_PORT_ENV);
  return { host, port, mgmt: new StatsdMgmtClient({ host, port: mgmtPort }) };
}

function readPort(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name];
  const port = Number(raw);
  if (raw === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `${name} is ${raw === undefined ? 'not set' : JSON.stringify(raw)}: run this test in the jest "e2e" project, whose globalSetup (test/utils/global-setup.ts) starts the StatsD daemon`,
    );
  }
  return port;
}
