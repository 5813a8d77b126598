import { sharedDaemon } from './daemon-client';
import {
  DAEMON_HANDLE_KEY,
  DAEMON_HOST_ENV,
  DAEMON_MGMT_PORT_ENV,
  DAEMON_PORT_ENV,
} from './daemon-env';
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { StatsdDaemon } from './statsd-daemon';

describe('e2e global setup and teardown', () => {
  const names = [DAEMON_HOST_ENV, DAEMON_PORT_ENV, DAEMON_MGMT_PORT_ENV];
  const saved = names.map((name) => process.env[name]);
  const holder = globalThis as Record<symbol, unknown>;

  afterEach(async () => {
    await globalTeardown();
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
  });

  it('starts one daemon, publishes its ports and stops it on teardown', async () => {
    await globalSetup();
    const daemon = holder[DAEMON_HANDLE_KEY];
    expect(daemon).toBeInstanceOf(StatsdDaemon);
    const shared = sharedDaemon();
    expect(shared.port).toBe((daemon as StatsdDaemon).port);
    expect(await shared.mgmt.health()).toBe('up');

    await globalTeardown();
    expect(holder[DAEMON_HANDLE_KEY]).toBeUndefined();
    await expect(shared.mgmt.health()).rejects.toThrow();
  }, 30_000);
});
