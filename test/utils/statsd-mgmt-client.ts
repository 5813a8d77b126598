import { connect } from 'node:net';
import { parseInspectOutput } from './inspect-output';

/** Options of {@link StatsdMgmtClient}. */
export interface StatsdMgmtClientOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** The daemon's `mgmt_port`. */
  port: number;
  /** Longest time one command may take, connection included. @default 2000 */
  timeoutMs?: number;
}

/** The daemon prefixes its own counters with this (config `prefixStats`). */
export const DAEMON_STATS_PREFIX = 'statsd.';
const DELETE_BATCH = 40;

/**
 * Talks to the Etsy StatsD daemon's management port: one TCP connection per command, reads
 * until the daemon's terminator (`END`, or the single `health:` / `ERROR` line).
 */
export class StatsdMgmtClient {
  readonly host: string;
  readonly port: number;
  private readonly timeoutMs: number;

  constructor(options: StatsdMgmtClientOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /**
   * Sends one command line (`counters`, `timers`, `gauges`, `stats`, `health`,
   * `delcounters a b.*`...) and resolves with the reply, without the `END` terminator.
   */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let reply = '';
      const socket = connect({ host: this.host, port: this.port });
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `StatsD mgmt ${this.host}:${this.port}: no complete reply to ${JSON.stringify(line)} within ${this.timeoutMs} ms (got ${JSON.stringify(reply)})`,
            ),
          ),
        this.timeoutMs,
      );
      const done = (error?: Error, text?: string): void => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve(text ?? '');
      };
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write(`${line}\n`));
      socket.on('error', (error) => done(error));
      socket.on('data', (chunk: string) => {
        reply += chunk;
        const text = completeReply(reply);
        if (text !== undefined) done(undefined, text);
      });
      socket.on('close', () =>
        done(
          new Error(`StatsD mgmt closed the connection; partial reply ${JSON.stringify(reply)}`),
        ),
      );
    });
  }

  /** `health` → `'up'` or `'down'`. */
  async health(): Promise<string> {
    return (await this.command('health')).replace(/^health:\s*/, '').trim();
  }

  /** Current counters, including the daemon's own `statsd.*` ones. */
  async counters(): Promise<Record<string, number>> {
    return this.readNumbers('counters');
  }

  /** Current gauges. */
  async gauges(): Promise<Record<string, number>> {
    return this.readNumbers('gauges');
  }

  /** Every timing value received since the last flush, per key. */
  async timers(): Promise<Record<string, number[]>> {
    const entries = Object.entries(parseInspectOutput(await this.command('timers')));
    // fromEntries, not assignment: a metric may well be called "__proto__".
    return Object.fromEntries(
      entries.map(([key, value]) => {
        if (!Array.isArray(value))
          throw new Error(`StatsD mgmt: timer ${key} is not a list: ${JSON.stringify(value)}`);
        return [key, value];
      }),
    );
  }

  /** `stats` as `group.metric → number` (`uptime`, `messages.bad_lines_seen`...). */
  async stats(): Promise<Record<string, number>> {
    const rows = (await this.command('stats')).split('\n');
    const pairs = rows.map((row) => /^([\w.]+):\s*(-?[\d.]+(?:e[+-]?\d+)?)$/.exec(row.trim()));
    return Object.fromEntries(
      pairs.flatMap((match) => (match ? [[match[1], Number(match[2])]] : [])),
    );
  }

  /** Lines the daemon rejected since it started (`stats` → `messages.bad_lines_seen`; never reset). */
  async badLinesSeen(): Promise<number> {
    const value = (await this.stats())['messages.bad_lines_seen'];
    if (value === undefined) throw new Error('StatsD mgmt: "stats" has no messages.bad_lines_seen');
    return value;
  }

  /** Deletes the named metrics (a name ending in `.*` deletes a folder); returns the reply. */
  async delete(kind: 'counters' | 'timers' | 'gauges', names: readonly string[]): Promise<string> {
    const replies: string[] = [];
    for (let i = 0; i < names.length; i += DELETE_BATCH) {
      replies.push(await this.command(`del${kind} ${names.slice(i, i + DELETE_BATCH).join(' ')}`));
    }
    return replies.join('');
  }

  /**
   * Deletes every counter, timer and gauge except the daemon's own `statsd.*` counters
   * (deleting those makes the daemon count into `NaN`). Use between tests.
   */
  async reset(): Promise<void> {
    const own = (key: string): boolean => key.startsWith(DAEMON_STATS_PREFIX);
    await this.delete(
      'counters',
      Object.keys(await this.counters()).filter((key) => !own(key)),
    );
    await this.delete('timers', Object.keys(await this.timers()));
    await this.delete(
      'gauges',
      Object.keys(await this.gauges()).filter((key) => !own(key)),
    );
  }

  private async readNumbers(command: string): Promise<Record<string, number>> {
    const entries = Object.entries(parseInspectOutput(await this.command(command)));
    return Object.fromEntries(
      entries.map(([key, value]) => {
        if (typeof value !== 'number')
          throw new Error(
            `StatsD mgmt: ${command} ${key} is not a number: ${JSON.stringify(value)}`,
          );
        return [key, value];
      }),
    );
  }
}

/** Returns the reply without its terminator once it is complete, else `undefined`. */
function completeReply(reply: string): string | undefined {
  const end = /(^|\n)END\n/.exec(reply);
  if (end) return reply.slice(0, end.index + end[1]!.length);
  if (/^(health: \w+|ERROR)\n/.test(reply)) return reply.trimEnd();
  return undefined;
}
