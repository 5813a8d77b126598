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

/** [what is wrong, options given, exact startup error] */
const INVALID: Array<[string, Record<string, unknown>, string]> = [
  ['an unknown option', { hots: 'x' }, invalidOption('hots', 'a known option', 'x')],
  ['host empty', { host: '' }, invalidOption('host', NON_EMPTY, '')],
  ['host not a string', { host: 42 }, invalidOption('host', NON_EMPTY, 42)],
  ['port a string', { port: 'abc' }, invalidOption('port', PORT, 'abc')],
  ['port 0', { port: 0 }, invalidOption('port', PORT, 0)],
  ['port above 65535', { port: 65536 }, invalidOption('port', PORT, 65536)],
  ['port fractional', { port: 81.5 }, invalidOption('port', PORT, 81.5)],
  [
    'protocol unknown',
    { protocol: 'http' },
    invalidOption('protocol', 'one of "udp", "tcp", "uds"', 'http'),
  ],
  ['path empty', { protocol: 'uds', path: '' }, invalidOption('path', NON_EMPTY, '')],
  [
    'path missing for uds',
    { protocol: 'uds' },
    invalidOption('path', 'a socket path when "protocol" is "uds"', undefined),
  ],
  ['prefix not a string', { prefix: 7 }, invalidOption('prefix', 'a string', 7)],
  ['prefix with a space', { prefix: 'my app' }, invalidOption('prefix', PREFIX, 'my app')],
  ['prefix starting with a dot', { prefix: '.app' }, invalidOption('prefix', PREFIX, '.app')],
  ['prefix with an empty segment', { prefix: 'a..b' }, invalidOption('prefix', PREFIX, 'a..b')],
  [
    'globalTags not an object',
    { globalTags: 'env:prod' },
    invalidOption('globalTags', 'an object', 'env:prod'),
  ],
  [
    'globalTags an array',
    { globalTags: ['env'] },
    invalidOption('globalTags', 'an object', ['env']),
  ],
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
  [
    'flavor unknown',
    { flavor: 'graphite' },
    invalidOption('flavor', 'one of "dogstatsd", "telegraf", "statsd"', 'graphite'),
  ],
  ['cpu true', { cpu: true }, invalidOption('cpu', 'one of "attributed", "process", false', true)],
  [
    'sampleRate 0',
    { sampleRate: 0 },
    invalidOption('sampleRate', 'a number greater than 0 and at most 1', 0),
  ],
  [
    'sampleRate above 1',
    { sampleRate: 1.5 },
    invalidOption('sampleRate', 'a number greater than 0 and at most 1', 1.5),
  ],
  [
    'sampleRate a string',
    { sampleRate: '0.5' },
    invalidOption('sampleRate', 'a number greater than 0 and at most 1', '0.5'),
  ],
  [
    'flushInterval too short',
    { flushInterval: 5 },
    invalidOption('flushInterval', 'an integer from 10 to 3600000', 5),
  ],
  [
    'maxPacketSize too small',
    { maxPacketSize: 100 },
    invalidOption('maxPacketSize', 'an integer from 512 to 65507', 100),
  ],
  [
    'maxPacketSize too large',
    { maxPacketSize: 70000 },
    invalidOption('maxPacketSize', 'an integer from 512 to 65507', 70000),
  ],
  ['mock not a boolean', { mock: 'yes' }, invalidOption('mock', 'a boolean', 'yes')],
  [
    'client not a hot-shots client',
    { client: {} },
    invalidOption('client', 'a hot-shots StatsD instance', {}),
  ],
  [
    'client together with mock',
    { client: mockClient, mock: true },
    conflictingOptions('client', 'mock'),
  ],
  [
    'maxTagCombinations 0',
    { maxTagCombinations: 0 },
    invalidOption('maxTagCombinations', 'an integer from 1 to 1000000', 0),
  ],
  [
    'maxMetricNames 0',
    { maxMetricNames: 0 },
    invalidOption('maxMetricNames', 'an integer from 1 to 1000000', 0),
  ],
  [
    'closeTimeout negative',
    { closeTimeout: -1 },
    invalidOption('closeTimeout', 'an integer from 0 to 60000', -1),
  ],
  [
    'errorLogInterval fractional',
    { errorLogInterval: 1.5 },
    invalidOption('errorLogInterval', 'an integer from 0 to 86400000', 1.5),
  ],
  [
    'runtimeMetrics a string',
    { runtimeMetrics: 'on' },
    invalidOption('runtimeMetrics', 'a boolean or an interval in ms from 100 to 3600000', 'on'),
  ],
  [
    'runtimeMetrics too frequent',
    { runtimeMetrics: 50 },
    invalidOption('runtimeMetrics', 'an integer from 100 to 3600000', 50),
  ],
  ['http not an object', { http: 'on' }, invalidOption('http', 'an object', 'on')],
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
