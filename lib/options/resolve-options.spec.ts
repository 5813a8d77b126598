import { StatsD } from 'hot-shots';
import {
  conflictingOptions,
  invalidEnvironmentVariable,
  invalidOption,
  missingAsyncOptions,
} from '../statsd.messages';
import { resolveOptions } from './resolve-options';

const NO_ENV = {};

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveOptions({}, NO_ENV);
    expect(resolved).toEqual({
      host: '127.0.0.1',
      port: 8125,
      protocol: 'udp',
      path: undefined,
      prefix: '',
      globalTags: {},
      flavor: 'dogstatsd',
      cpu: 'attributed',
      cpuBudget: 0.01,
      sampleRate: 1,
      flushInterval: 1000,
      maxPacketSize: 1432,
      mock: false,
      client: undefined,
      maxTagCombinations: 1000,
      maxMetricNames: 10000,
      closeTimeout: 2000,
      errorLogInterval: 60000,
      http: {
        enabled: true,
        metricName: 'http.request',
        exclude: [],
        tags: undefined,
        mode: 'hooks',
      },
      metricTypes: { http: 'ms', decorator: 'ms', block: 'ms', graphql: 'ms', rpc: 'ms', ws: 'ms' },
      originDetection: { entityId: true, containerId: true, externalEnv: true },
    });
  });

  describe('metricTypes', () => {
    it('gives one type to every family', () => {
      expect(resolveOptions({ metricTypes: 'distribution' }, NO_ENV).metricTypes).toEqual({
        http: 'd',
        decorator: 'd',
        block: 'd',
        graphql: 'd',
        rpc: 'd',
        ws: 'd',
      });
    });

    it('keeps families left out as timings', () => {
      const resolved = resolveOptions(
        { metricTypes: { http: 'distribution', ws: 'histogram' } },
        NO_ENV,
      );
      expect(resolved.metricTypes).toEqual({
        http: 'd',
        decorator: 'ms',
        block: 'ms',
        graphql: 'ms',
        rpc: 'ms',
        ws: 'h',
      });
    });
  });

  describe('originDetection', () => {
    it('turns every part off with false', () => {
      expect(resolveOptions({ originDetection: false }, NO_ENV).originDetection).toEqual({
        entityId: false,
        containerId: false,
        externalEnv: false,
      });
    });

    it('keeps the parts left out of an object on, and a given container ID as is', () => {
      expect(
        resolveOptions({ originDetection: { externalEnv: false, containerId: 'abc-123' } }, NO_ENV)
          .originDetection,
      ).toEqual({
        entityId: true,
        containerId: 'abc-123',
        externalEnv: false,
      });
    });
  });

  it("reads the former cpu name 'process' as 'process-share'", () => {
    expect(resolveOptions({ cpu: 'process' }, {}).cpu).toBe('process-share');
  });

  it('accepts cpuBudget false (every unit measured, whatever it costs)', () => {
    expect(resolveOptions({ cpuBudget: false }, {}).cpuBudget).toBe(false);
  });

  it('uses 8192-byte packets by default over a Unix socket', () => {
    const resolved = resolveOptions(
      { protocol: 'uds', path: '/var/run/datadog/dsd.socket' },
      NO_ENV,
    );
    expect(resolved.maxPacketSize).toBe(8192);
  });

  it('adds the "." separator to the prefix when it is missing', () => {
    expect(resolveOptions({ prefix: 'myapp' }, NO_ENV).prefix).toBe('myapp.');
  });

  it('keeps a prefix that already ends with "."', () => {
    expect(resolveOptions({ prefix: 'myapp.api.' }, NO_ENV).prefix).toBe('myapp.api.');
  });

  describe('environment defaults', () => {
    it('takes the host from STATSD_HOST before DD_AGENT_HOST', () => {
      const env = { STATSD_HOST: 'statsd.local', DD_AGENT_HOST: 'agent.local' };
      expect(resolveOptions({}, env).host).toBe('statsd.local');
    });

    it('takes the host from DD_AGENT_HOST when STATSD_HOST is unset or empty', () => {
      expect(resolveOptions({}, { DD_AGENT_HOST: 'agent.local' }).host).toBe('agent.local');
      expect(resolveOptions({}, { STATSD_HOST: '', DD_AGENT_HOST: 'agent.local' }).host).toBe(
        'agent.local',
      );
    });

    it('prefers the host option over the environment', () => {
      const env = { STATSD_HOST: 'statsd.local', DD_AGENT_HOST: 'agent.local' };
      expect(resolveOptions({ host: 'explicit.local' }, env).host).toBe('explicit.local');
    });

    it('takes the port from STATSD_PORT before DD_DOGSTATSD_PORT', () => {
      const env = { STATSD_PORT: '9125', DD_DOGSTATSD_PORT: '8126' };
      expect(resolveOptions({}, env).port).toBe(9125);
    });

    it('takes the port from DD_DOGSTATSD_PORT when STATSD_PORT is unset or empty', () => {
      expect(resolveOptions({}, { DD_DOGSTATSD_PORT: '8126' }).port).toBe(8126);
      expect(resolveOptions({}, { STATSD_PORT: '', DD_DOGSTATSD_PORT: '8126' }).port).toBe(8126);
    });

    it('prefers the port option over the environment', () => {
      expect(resolveOptions({ port: 7000 }, { STATSD_PORT: '9125' }).port).toBe(7000);
    });

    it('ignores a malformed port variable when the port option is given', () => {
      expect(resolveOptions({ port: 7000 }, { STATSD_PORT: 'abc' }).port).toBe(7000);
    });

    it.each([
      ['STATSD_PORT', 'abc'],
      ['STATSD_PORT', '0'],
      ['STATSD_PORT', '70000'],
      ['STATSD_PORT', '81.5'],
      ['DD_DOGSTATSD_PORT', '-1'],
    ])('rejects %s=%j with a message naming the variable and value', (variable, text) => {
      expect(() => resolveOptions({}, { [variable]: text })).toThrow(
        new Error(invalidEnvironmentVariable(variable, 'an integer from 1 to 65535', text)),
      );
    });

    it('reads process.env when no environment is passed', () => {
      const saved = process.env.STATSD_HOST;
      process.env.STATSD_HOST = 'from-process.local';
      try {
        expect(resolveOptions({}).host).toBe('from-process.local');
      } finally {
        if (saved === undefined) delete process.env.STATSD_HOST;
        else process.env.STATSD_HOST = saved;
      }
    });
  });

  describe('validation', () => {
    it.each([
      [{ host: '' }, invalidOption('host', 'a non-empty string', '')],
      [{ host: 42 }, invalidOption('host', 'a non-empty string', 42)],
      [{ port: 0 }, invalidOption('port', 'an integer from 1 to 65535', 0)],
      [{ port: '8125' }, invalidOption('port', 'an integer from 1 to 65535', '8125')],
      [{ protocol: 'http' }, invalidOption('protocol', 'one of "udp", "tcp", "uds"', 'http')],
      [
        { protocol: 'uds' },
        invalidOption('path', 'a socket path when "protocol" is "uds"', undefined),
      ],
      [{ prefix: 5 }, invalidOption('prefix', 'a string', 5)],
      [
        { prefix: 'my app' },
        invalidOption('prefix', 'made of letters, digits, "_", "-" and single dots', 'my app'),
      ],
      [
        { prefix: 'a..b' },
        invalidOption('prefix', 'made of letters, digits, "_", "-" and single dots', 'a..b'),
      ],
      [
        { prefix: '.a' },
        invalidOption('prefix', 'made of letters, digits, "_", "-" and single dots', '.a'),
      ],
      [
        { flavor: 'influx' },
        invalidOption('flavor', 'one of "dogstatsd", "telegraf", "statsd"', 'influx'),
      ],
      [
        { cpu: true },
        invalidOption('cpu', 'one of "attributed", "process-share", "process", false', true),
      ],
      [
        { cpuBudget: 0 },
        invalidOption('cpuBudget', 'a number greater than 0 and less than 1, or false', 0),
      ],
      [
        { cpuBudget: 1 },
        invalidOption('cpuBudget', 'a number greater than 0 and less than 1, or false', 1),
      ],
      [
        { cpuBudget: '1%' },
        invalidOption('cpuBudget', 'a number greater than 0 and less than 1, or false', '1%'),
      ],
      [{ sampleRate: 0 }, invalidOption('sampleRate', 'a number greater than 0 and at most 1', 0)],
      [
        { metricTypes: 'summary' },
        invalidOption('metricTypes', 'one of "timing", "histogram", "distribution"', 'summary'),
      ],
      [
        { metricTypes: { http: 'd' } },
        invalidOption('metricTypes.http', 'one of "timing", "histogram", "distribution"', 'd'),
      ],
      [
        { metricTypes: { requests: 'distribution' } },
        invalidOption(
          'metricTypes.requests',
          'a metric family (http, decorator, block, graphql, rpc, ws)',
          'distribution',
        ),
      ],
      [
        { metricTypes: ['distribution'] },
        invalidOption('metricTypes', 'an object', ['distribution']),
      ],
      [{ originDetection: 'on' }, invalidOption('originDetection', 'an object', 'on')],
      [
        { originDetection: { pod: true } },
        invalidOption('originDetection.pod', 'a known option', true),
      ],
      [
        { originDetection: { entityId: 'yes' } },
        invalidOption('originDetection.entityId', 'a boolean', 'yes'),
      ],
      [
        { originDetection: { containerId: 'abc|c:forged' } },
        invalidOption(
          'originDetection.containerId',
          'a boolean or an ID made of letters, digits, "_", ".", ":" and "-"',
          'abc|c:forged',
        ),
      ],
      [
        { originDetection: { containerId: '' } },
        invalidOption('originDetection.containerId', 'a non-empty string', ''),
      ],
      [
        { sampleRate: 1.5 },
        invalidOption('sampleRate', 'a number greater than 0 and at most 1', 1.5),
      ],
      [{ flushInterval: 5 }, invalidOption('flushInterval', 'an integer from 10 to 3600000', 5)],
      [{ maxPacketSize: 100 }, invalidOption('maxPacketSize', 'an integer from 512 to 65507', 100)],
      [{ mock: 'yes' }, invalidOption('mock', 'a boolean', 'yes')],
      [{ client: {} }, invalidOption('client', 'a hot-shots StatsD instance', {})],
      [{ globalTags: [] }, invalidOption('globalTags', 'an object', [])],
      [
        { globalTags: { '1bad': 'x' } },
        invalidOption(
          'globalTags key',
          'a letter followed by letters, digits, "_", "-", "." or "/"',
          '1bad',
        ),
      ],
      [
        { globalTags: { env: null } },
        invalidOption('globalTags.env', 'a string, a finite number or a boolean', null),
      ],
      [
        { globalTags: { ratio: NaN } },
        invalidOption('globalTags.ratio', 'a string, a finite number or a boolean', NaN),
      ],
      [{ closeTimeout: -1 }, invalidOption('closeTimeout', 'an integer from 0 to 60000', -1)],
      [{ hots: 'x' }, invalidOption('hots', 'a known option', 'x')],
      [{ http: 'on' }, invalidOption('http', 'an object', 'on')],
      [{ http: { enable: true } }, invalidOption('http.enable', 'a known option', true)],
      [{ http: { enabled: 1 } }, invalidOption('http.enabled', 'a boolean', 1)],
      [
        { http: { metricName: 'http..request' } },
        invalidOption(
          'http.metricName',
          'a metric name (a letter, then letters, digits, "_", "-", single dots)',
          'http..request',
        ),
      ],
      [
        { http: { exclude: '/health' } },
        invalidOption('http.exclude', 'an array of strings and RegExps', '/health'),
      ],
      [
        { http: { tags: { a: 1 } } },
        invalidOption('http.tags', 'a function of the request returning tags', { a: 1 }),
      ],
      [
        { http: { mode: 'middleware' } },
        invalidOption('http.mode', 'one of "hooks", "interceptor"', 'middleware'),
      ],
    ])('rejects %p with its exact message', (options, message) => {
      expect(() => resolveOptions(options, NO_ENV)).toThrow(new Error(message));
    });

    it.each([undefined, null, 'options', [1]])(
      'rejects a factory result of %p with its exact message',
      (value) => {
        expect(() => resolveOptions(value, NO_ENV)).toThrow(new Error(missingAsyncOptions(value)));
      },
    );

    it('renders the received value in the message the way users wrote it', () => {
      expect(() => resolveOptions({ flavor: 'influx' }, NO_ENV)).toThrow(
        'StatsdModule: "flavor" must be one of "dogstatsd", "telegraf", "statsd" (received "influx").',
      );
    });

    it('rejects a client together with mock', () => {
      const client = new StatsD({ mock: true });
      expect(() => resolveOptions({ client, mock: true }, NO_ENV)).toThrow(
        new Error(conflictingOptions('client', 'mock')),
      );
    });
  });

  it('accepts a hot-shots client, and http: false', () => {
    const client = new StatsD({ mock: true });
    const resolved = resolveOptions({ client, http: false }, NO_ENV);
    expect(resolved.client).toBe(client);
    expect(resolved.http.enabled).toBe(false);
  });

  it('copies globalTags, so later changes to the caller object are not applied', () => {
    const globalTags: Record<string, string> = { env: 'test' };
    const resolved = resolveOptions({ globalTags }, NO_ENV);
    globalTags.env = 'changed';
    expect(resolved.globalTags).toEqual({ env: 'test' });
  });
});
