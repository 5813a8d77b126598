import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves as soon as the condition holds', async () => {
    let calls = 0;
    await waitFor(() => ++calls === 3, { description: 'the third call' });
    expect(calls).toBe(3);
  });

  it('accepts async conditions', async () => {
    let calls = 0;
    await waitFor(async () => ++calls >= 2, { description: 'two calls' });
    expect(calls).toBe(2);
  });

  it('rejects after the timeout, naming what it waited for', async () => {
    await expect(waitFor(() => false, { timeoutMs: 30, description: 'nothing' })).rejects.toThrow(
      /^waitFor: timed out after 30 ms waiting for nothing \(\d+ checks\)$/,
    );
  });

  it('keeps checking after a throw and reports the last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, description: 'the daemon' },
      ),
    ).rejects.toThrow(/last check threw: connection refused/);
  });

  it('stops when its signal is aborted', async () => {
    const abort = new AbortController();
    const waiting = waitFor(() => false, {
      timeoutMs: 5000,
      description: 'never',
      signal: abort.signal,
    });
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('does not wait longer than its timeout, even with a long maximum pause', async () => {
    const started = performance.now();
    await expect(
      waitFor(() => false, { timeoutMs: 40, maxIntervalMs: 10_000, description: 'x' }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
