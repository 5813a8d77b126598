import { invalidEnvironmentVariable } from '../statsd.messages';
import { targetFromEnvironment, unifiedServiceTags } from './environment-defaults';

describe('targetFromEnvironment', () => {
  it('is empty when no variable is set', () => {
    expect(targetFromEnvironment({})).toEqual({ host: undefined, port: undefined });
  });

  it('prefers STATSD_HOST and STATSD_PORT over the Datadog variables', () => {
    const env = { STATSD_HOST: 'statsd', STATSD_PORT: '9125', DD_AGENT_HOST: 'agent', DD_DOGSTATSD_PORT: '8135' };
    expect(targetFromEnvironment(env)).toEqual({ host: 'statsd', port: 9125 });
  });

  it('falls back to DD_AGENT_HOST and DD_DOGSTATSD_PORT', () => {
    expect(targetFromEnvironment({ DD_AGENT_HOST: 'agent', DD_DOGSTATSD_PORT: '8135' })).toEqual({ host: 'agent', port: 8135 });
  });

  it('reads a udp DD_DOGSTATSD_URL before DD_AGENT_HOST', () => {
    const env = { DD_DOGSTATSD_URL: 'udp://dsd.local:8200', DD_AGENT_HOST: 'agent' };
    expect(targetFromEnvironment(env)).toEqual({ host: 'dsd.local', port: 8200 });
  });

  it('reads an IPv6 udp DD_DOGSTATSD_URL', () => {
    expect(targetFromEnvironment({ DD_DOGSTATSD_URL: 'udp://[::1]:8125' })).toEqual({ host: '::1', port: 8125 });
  });

  it('turns a unix DD_DOGSTATSD_URL into a socket target', () => {
    expect(targetFromEnvironment({ DD_DOGSTATSD_URL: 'unix:///var/run/datadog/dsd.socket' })).toEqual({
      protocol: 'uds',
      path: '/var/run/datadog/dsd.socket',
    });
  });

  it('lets STATSD_HOST win over a unix DD_DOGSTATSD_URL', () => {
    const env = { DD_DOGSTATSD_URL: 'unix:///var/run/datadog/dsd.socket', STATSD_HOST: 'statsd' };
    expect(targetFromEnvironment(env)).toEqual({ host: 'statsd', port: undefined });
  });

  it.each([
    ['STATSD_PORT', 'abc'],
    ['STATSD_PORT', '70000'],
    ['DD_DOGSTATSD_PORT', '-1'],
  ])('rejects %s=%s naming the variable', (variable, value) => {
    expect(() => targetFromEnvironment({ [variable]: value })).toThrow(
      invalidEnvironmentVariable(variable, 'an integer from 1 to 65535', value),
    );
  });

  it.each(['tcp://agent:8125', 'unix://', 'udp://'])('rejects DD_DOGSTATSD_URL=%s naming the variable', (value) => {
    expect(() => targetFromEnvironment({ DD_DOGSTATSD_URL: value })).toThrow(
      invalidEnvironmentVariable('DD_DOGSTATSD_URL', 'a URL like udp://host:8125 or unix:///var/run/datadog/dsd.socket', value),
    );
  });
});

describe('unifiedServiceTags', () => {
  it('maps DD_ENV, DD_SERVICE and DD_VERSION to env, service and version', () => {
    expect(unifiedServiceTags({ DD_ENV: 'prod', DD_SERVICE: 'orders', DD_VERSION: '1.2.3' })).toEqual({
      env: 'prod',
      service: 'orders',
      version: '1.2.3',
    });
  });

  it('leaves out unset and empty variables', () => {
    expect(unifiedServiceTags({ DD_ENV: '', DD_SERVICE: 'orders' })).toEqual({ service: 'orders' });
  });
});
