import { Logger } from '@nestjs/common';
import { RateLimitedLogger } from './rate-limited-logger';

describe('RateLimitedLogger', () => {
  let errorSpy: jest.SpyInstance;
  let warnSpy: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    errorSpy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnSpy = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('logs the first error of a kind at once', () => {
    new RateLimitedLogger(1000).error('send', (suppressed) => `failed (${suppressed})`);
    expect(errorSpy.mock.calls).toEqual([['failed (0)']]);
  });

  it('holds back errors of the same kind within the interval', () => {
    const logger = new RateLimitedLogger(1000);
    for (let index = 0; index < 5; index++) logger.error('send', () => 'failed');
    expect(errorSpy).toHaveBeenCalledTimes(1);
  });

  it('logs again after the interval, with the number held back', () => {
    const logger = new RateLimitedLogger(1000);
    const message = (suppressed: number) => `failed (${suppressed} held back)`;
    for (let index = 0; index < 4; index++) logger.error('send', message);
    jest.advanceTimersByTime(999);
    logger.error('send', message);
    jest.advanceTimersByTime(1);
    logger.error('send', message);
    expect(errorSpy.mock.calls).toEqual([['failed (0 held back)'], ['failed (4 held back)']]);
  });

  it('resets the held-back count once reported', () => {
    const logger = new RateLimitedLogger(1000);
    const message = (suppressed: number) => `held ${suppressed}`;
    logger.error('send', message);
    logger.error('send', message);
    jest.advanceTimersByTime(1000);
    logger.error('send', message);
    jest.advanceTimersByTime(1000);
    logger.error('send', message);
    expect(errorSpy.mock.calls).toEqual([['held 0'], ['held 1'], ['held 0']]);
  });

  it('limits each kind separately', () => {
    const logger = new RateLimitedLogger(1000);
    logger.error('send', () => 'send failed');
    logger.error('invalid-value', () => 'bad value');
    logger.error('send', () => 'send failed');
    expect(errorSpy.mock.calls).toEqual([['send failed'], ['bad value']]);
  });

  it('does not build the message of a held-back error', () => {
    const logger = new RateLimitedLogger(1000);
    const message = jest.fn(() => 'failed');
    logger.error('send', message);
    logger.error('send', message);
    expect(message).toHaveBeenCalledTimes(1);
  });

  it('logs every error when the interval is 0', () => {
    const logger = new RateLimitedLogger(0);
    for (let index = 0; index < 3; index++) logger.error('send', () => 'failed');
    expect(errorSpy).toHaveBeenCalledTimes(3);
  });

  it('logs warnings unconditionally', () => {
    const logger = new RateLimitedLogger(1000);
    logger.warn('first');
    logger.warn('first');
    expect(warnSpy.mock.calls).toEqual([['first'], ['first']]);
  });
});
