import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { StatsdDaemon } from './statsd-daemon';
import { waitFor } from './wait-for';

describe('StatsdDaemon', () => {
  let daemon: StatsdDaemon;
  let sender: Socket;

  beforeAll(async () => {
    daemon = await StatsdDaemon.start();
    sender = createSocket('udp4');
  }, 30_000);

  afterAll(async () => {
    sender?.close();
    await daemon?.stop();
  });

  beforeEach(() => daemon.mgmt.reset());

  const send = (...lines: string[]): Promise<void> =>
    new Promise((resolve, reject) =>
      sender.send(lines.join('\n'), daemon.port, daemon.host, (error) =>
        error ? reject(error) : resolve(),
      ),
    );

  it('answers health on its management port', async () => {
    expect(await daemon.mgmt.health()).toBe('up');
    expect(daemon.pid).toEqual(expect.any(Number));
  });

  it('aggregates counters, timers and gauges received over UDP', async () => {
    await send('foo:1|c', 't:12|ms', 'g:3|g');
    await send('foo:2|c');
    await waitFor(async () => (await daemon.mgmt.counters())['foo'] === 3, {
      description: 'foo = 3',
    });
    expect(await daemon.mgmt.timers()).toEqual({ t: [12] });
    expect(await daemon.mgmt.gauges()).toMatchObject({ g: 3 });
  });

  it('counts a line it cannot read as a bad line', async () => {
    const before = await daemon.mgmt.badLinesSeen();
    await send('bad:xyz|c');
    await waitFor(async () => (await daemon.mgmt.badLinesSeen()) === before + 1, {
      description: 'one more bad line',
    });
    expect((await daemon.mgmt.counters())['bad']).toBeUndefined();
  });

  it('folds DogStatsD tags into the key', async () => {
    await send('tagged:2|c|#env:prod,canary');
    await waitFor(async () => 'tagged;env=prod;canary' in (await daemon.mgmt.counters()), {
      description: 'tagged key',
    });
  });

  it("returns every timing of a key, even past util.inspect's 100-item limit", async () => {
    const values = Array.from({ length: 150 }, (_, i) => i);
    await send(...values.map((value) => `many:${value}|ms`));
    await waitFor(async () => ((await daemon.mgmt.timers())['many'] ?? []).length === 150, {
      description: '150 timings',
    });
    expect((await daemon.mgmt.timers())['many']).toEqual(values);
  });

  it('forgets user metrics on reset but keeps its own counters', async () => {
    await send('gone:1|c', 'gone.t:1|ms', 'gone.g:1|g');
    await waitFor(async () => 'gone.g' in (await daemon.mgmt.gauges()), { description: 'gone.g' });
    await daemon.mgmt.reset();
    expect(await daemon.mgmt.timers()).toEqual({});
    expect(
      Object.keys(await daemon.mgmt.counters()).every((key) => key.startsWith('statsd.')),
    ).toBe(true);
    expect(Object.keys(await daemon.mgmt.gauges())).not.toContain('gone.g');
  });

  it('deletes named metrics and says which were not found', async () => {
    await send('del.me:1|c');
    await waitFor(async () => 'del.me' in (await daemon.mgmt.counters()), {
      description: 'del.me',
    });
    expect(await daemon.mgmt.delete('counters', ['del.me', 'nope'])).toBe(
      'deleted: del.me\nmetric nope not found\n',
    );
  });

  it('reports the raw reply of any command, without END', async () => {
    expect(await daemon.mgmt.command('gauges')).toMatch(/^\{.*\}\n$/s);
    expect(await daemon.mgmt.command('no-such-command')).toBe('ERROR');
  });

  it('reads stats as numbers', async () => {
    expect(await daemon.mgmt.stats()).toMatchObject({
      uptime: expect.any(Number),
      'messages.bad_lines_seen': expect.any(Number),
    });
  });
});

describe('StatsdDaemon.stop', () => {
  it('stops the process it started and can be called twice', async () => {
    const daemon = await StatsdDaemon.start();
    const pid = daemon.pid ?? -1;
    await daemon.stop();
    await daemon.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(daemon.mgmt.health()).rejects.toThrow();
  }, 30_000);
});
