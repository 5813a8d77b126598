import { sharedDaemon } from './daemon-client';

describe('sharedDaemon', () => {
  it('reads the ports and host set by the e2e global setup', () => {
    const daemon = sharedDaemon({
      STATSD_DAEMON_PORT: '8125',
      STATSD_DAEMON_MGMT_PORT: '8126',
      STATSD_DAEMON_HOST: '::1',
    });
    expect(daemon.port).toBe(8125);
    expect(daemon.host).toBe('::1');
    expect(daemon.mgmt.port).toBe(8126);
  });

  it('points to the e2e project when the variables are missing', () => {
    expect(() => sharedDaemon({})).toThrow(
      /STATSD_DAEMON_PORT is not set: run this test in the jest "e2e" project/,
    );
  });

  it('rejects a port that is not a number', () => {
    expect(() => sharedDaemon({ STATSD_DAEMON_PORT: '81x', STATSD_DAEMON_MGMT_PORT: '1' })).toThrow(
      'STATSD_DAEMON_PORT is "81x"',
    );
  });
});
