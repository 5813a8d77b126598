import { StatsD } from 'hot-shots';
import { StatsdModule, type StatsdModuleOptions } from '../../lib';
import {
  conflictingOptions,
  invalidEnvironmentVariable,
  invalidOption,
  missingAsyncOptions,
} from '../../lib/statsd.messages';
import { UsersController } from '../fixtures/demo.controller';
import { creationError } from '../fixtures/http-app';

const PORT = 'an integer from 1 to 65535';
const NON_EMPTY = 'a non-empty string';
const PREFIX = 'made of letters, digits, "_", "-" and single dots';
const TAG_KEY = 'a letter followed by letters, digits, "_", "-", "." or "/"';
const TAG_VALUE = 'a string, a finite number or a boolean';
const METRIC_NAME = 'a metric name (a letter, then letters, digits, "_", "-", single dots)';

/** A real hot-shots client in mock mode (no socket), to combine with other options. */
const mockClient = new StatsD({ mock: true });
afterAll(() => new Promise<void>((resolve) => mockClient.close(() => resolve())));

/** A row setting only `option`, to `value`: the error names both and what was expected. */
function invalid(
  what: string,
  option: string,
  value: unknown,
  expected: string,
): [string, Record<string, unknown>, string] {
  return [what, { [option]: value }, invalidOption(option, expected, value)];
}

/** [what is wrong, options given, exact startup error] */
const INVALID: Array<[string, Record<string, unknown>, string]> = [
  invalid('an unknown option', 'hots', 'x', 'a known option'),
  invalid('host empty', 'host', '', NON_EMPTY),
  invalid('host not a string', 'host', 42, NON_EMPTY),
  invalid('port a string', 'port', 'abc', PORT),
  invalid('port 0', 'port', 0, PORT),
  invalid('port above 65535', 'port', 65536, PORT),
  invalid('port fractional', 'port', 81.5, PORT),
  invalid('protocol unknown', 'protocol', 'http', 'one of "udp", "tcp", "uds"'),
  ['path empty', { protocol: 'uds', path: '' }, invalidOption('path', NON_EMPTY, '')],
  [
    'path missing for uds',
    { protocol: 'uds' },
    invalidOption('path', 'a socket path when "protocol" is "uds"', undefined),
  ],
  invalid('prefix not a string', 'prefix', 7, 'a string'),
  invalid('prefix with a space', 'prefix', 'my app', PREFIX),
  invalid('prefix starting with a dot', 'prefix', '.app', PREFIX),
  invalid('prefix with an empty segment', 'prefix', 'a..b', PREFIX),
  invalid('globalTags not an object', 'globalTags', 'env:prod', 'an object'),
  invalid('globalTags an array', 'globalTags', ['env'], 'an object'),
  [
    'a globalTags key not starting with a letter',
    { globalTags: { '1env': 'x' } },
    invalidOption('globalTags key', TAG_KEY, '1env'),
  ],
  [
    'a globalTags value that is an object',
    { globalTags: { env: {} } },
    invalidOption('globalTags.env', TAG_VALUE, {}),
  ],
  [
    'a globalTags value that is NaN',
    { globalTags: { ratio: NaN } },
    invalidOption('globalTags.ratio', TAG_VALUE, NaN),
  ],
  invalid('flavor unknown', 'flavor', 'graphite', 'one of "dogstatsd", "telegraf", "statsd"'),
  invalid('cpu true', 'cpu', true, 'one of "attributed", "process-share", "process", false'),
  invalid('cpuBudget 2', 'cpuBudget', 2, 'a number greater than 0 and less than 1, or false'),
  invalid('sampleRate 0', 'sampleRate', 0, 'a number greater than 0 and at most 1'),
  invalid('sampleRate above 1', 'sampleRate', 1.5, 'a number greater than 0 and at most 1'),
  invalid('sampleRate a string', 'sampleRate', '0.5', 'a number greater than 0 and at most 1'),
  invalid('flushInterval too short', 'flushInterval', 5, 'an integer from 10 to 3600000'),
  invalid('maxPacketSize too small', 'maxPacketSize', 100, 'an integer from 512 to 65507'),
  invalid('maxPacketSize too large', 'maxPacketSize', 70000, 'an integer from 512 to 65507'),
  invalid('mock not a boolean', 'mock', 'yes', 'a boolean'),
  invalid('client not a hot-shots client', 'client', {}, 'a hot-shots StatsD instance'),
  [
    'client together with mock',
    { client: mockClient, mock: true },
    conflictingOptions('client', 'mock'),
  ],
  invalid('maxTagCombinations 0', 'maxTagCombinations', 0, 'an integer from 1 to 1000000'),
  invalid('maxMetricNames 0', 'maxMetricNames', 0, 'an integer from 1 to 1000000'),
  invalid('closeTimeout negative', 'closeTimeout', -1, 'an integer from 0 to 60000'),
  invalid('errorLogInterval fractional', 'errorLogInterval', 1.5, 'an integer from 0 to 86400000'),
  invalid(
    'runtimeMetrics a string',
    'runtimeMetrics',
    'on',
    'a boolean or an interval in ms from 100 to 3600000',
  ),
  invalid('runtimeMetrics too frequent', 'runtimeMetrics', 50, 'an integer from 100 to 3600000'),
  invalid('http not an object', 'http', 'on', 'an object'),
  [
    'an unknown http option',
    { http: { exclude: [], paths: [] } },
    invalidOption('http.paths', 'a known option', []),
  ],
  [
    'http.enabled not a boolean',
    { http: { enabled: 'no' } },
    invalidOption('http.enabled', 'a boolean', 'no'),
  ],
  [
    'http.metricName starting with a digit',
    { http: { metricName: '1req' } },
    invalidOption('http.metricName', METRIC_NAME, '1req'),
  ],
  [
    'http.metricName with an empty segment',
    { http: { metricName: 'http..req' } },
    invalidOption('http.metricName', METRIC_NAME, 'http..req'),
  ],
  [
    'http.exclude a string',
    { http: { exclude: '/health' } },
    invalidOption('http.exclude', 'an array of strings and RegExps', '/health'),
  ],
  [
    'http.exclude with a number',
    { http: { exclude: ['/health', 404] } },
    invalidOption('http.exclude', 'an array of strings and RegExps', ['/health', 404]),
  ],
  [
    'http.tags not a function',
    { http: { tags: { team: 'a' } } },
    invalidOption('http.tags', 'a function of the request returning tags', { team: 'a' }),
  ],
  [
    'http.mode unknown',
    { http: { mode: 'middleware' } },
    invalidOption('http.mode', 'one of "hooks", "interceptor"', 'middleware'),
  ],
];

describe('invalid options fail at startup with a message naming the option and the value', () => {
  it.each(INVALID)('%s', async (_case, options, message) => {
    const error = await creationError({
      adapter: 'express',
      statsd: { port: 8125, ...(options as StatsdModuleOptions) },
      controllers: [UsersController],
    });

    expect(error.message).toBe(message);
  });

  it('validates the options a forRootAsync factory returns the same way', async () => {
    const error = await creationError({
      adapter: 'express',
      imports: [
        StatsdModule.forRootAsync({ useFactory: () => ({ port: 'abc' as unknown as number }) }),
      ],
    });

    expect(error.message).toBe(invalidOption('port', PORT, 'abc'));
  });

  it('rejects a forRootAsync factory returning something other than an object', async () => {
    const error = await creationError({
      adapter: 'express',
      imports: [
        StatsdModule.forRootAsync({
          useFactory: () => 'udp://agent:8125' as unknown as StatsdModuleOptions,
        }),
      ],
    });

    expect(error.message).toBe(missingAsyncOptions('udp://agent:8125'));
  });
});

describe('invalid environment defaults fail at startup', () => {
  const saved = {
    STATSD_PORT: process.env.STATSD_PORT,
    DD_DOGSTATSD_PORT: process.env.DD_DOGSTATSD_PORT,
  };

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([
    ['STATSD_PORT', 'abc'],
    ['STATSD_PORT', '70000'],
    ['STATSD_PORT', '81.5'],
    ['DD_DOGSTATSD_PORT', '0'],
  ])('%s=%s', async (variable, value) => {
    delete process.env.STATSD_PORT;
    delete process.env.DD_DOGSTATSD_PORT;
    process.env[variable] = value;

    const error = await creationError({
      adapter: 'express',
      statsd: { prefix: 'app' },
      controllers: [UsersController],
    });

    expect(error.message).toBe(invalidEnvironmentVariable(variable, PORT, value));
  });
});
