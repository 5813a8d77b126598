/** Env var holding the shared daemon's UDP port, set by the e2e global setup. */
export const DAEMON_PORT_ENV = 'STATSD_DAEMON_PORT';
/** Env var holding the shared daemon's management port. */
export const DAEMON_MGMT_PORT_ENV = 'STATSD_DAEMON_MGMT_PORT';
/** Env var holding the shared daemon's address. */
export const DAEMON_HOST_ENV = 'STATSD_DAEMON_HOST';
/** `globalThis` key under which the global setup keeps the daemon for the teardown. */
export const DAEMON_HANDLE_KEY = Symbol.for('nestjs-statsd.test.daemon');
