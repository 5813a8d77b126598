import { performance } from 'node:perf_hooks';
import { processCpuMs } from './cpu-clock';
import type { CpuSink, RequestCpuClock } from './request-cpu-clock';

/** How long a reading may serve requests that start while none is in flight (ms of wall time). */
const IDLE_READING_MAX_AGE_MS = 1;

/**
 * A stretch of time between two readings of the process CPU clock. Within it the CPU is assumed
 * to be spent evenly over the time requests were in flight, and shared evenly among them.
 */
class Interval {
  /** ∫ dt / (requests in flight) over the time some request was in flight (ms). */
  perRequestMs = 0;
  /** Time some request was in flight (ms). */
  busyMs = 0;
  /** Process CPU ms per busy ms, known once the interval is closed. */
  rate = Number.NaN;

  constructor(
    /** Shared CPU per request accumulated before this interval (ms). */
    readonly shareBefore: number,
    readonly cpuAtStartMs: number,
    readonly startedAt: number,
    /** The event loop's idle time (waiting for I/O) so far, at the start (ms). */
    readonly loopIdleAtStartMs: number,
  ) {}
}

/** A point on the shared clock: its value is known once its interval is closed. */
interface ShareMark {
  readonly interval: Interval;
  readonly perRequestMs: number;
}

function shareAt(mark: ShareMark): number {
  return mark.interval.shareBefore + mark.interval.rate * mark.perRequestMs;
}

interface PendingEnd {
  readonly start: ShareMark;
  readonly end: ShareMark;
  readonly sink: CpuSink;
}

/**
 * `cpu: 'process-share'` for requests: each request is charged its share of the process's CPU time
 * while it was in flight, the CPU of every moment split evenly among the requests in flight then.
 * A request alone gets exactly the process's CPU over its lifetime; concurrent requests' figures
 * add up to the process's CPU instead of each counting all of it.
 *
 * The process CPU clock (`getrusage`, a few µs on a loaded VM, a tenth of a small Fastify
 * request) is read at most once per event-loop turn in which requests ended, instead of once or
 * twice per request: ended requests wait for that reading (a `setImmediate`), which gives the CPU
 * of the interval since the previous one; within an interval CPU is assumed to be spent evenly.
 * Work the process does while no request is in flight (other I/O callbacks, timers) is left out
 * in proportion to the time the event loop spent on it (see `requestsShareOf`), and a request that
 * starts with none in flight and a reading older than 1 ms reads the clock first.
 */
export class FairShareCpuClock implements RequestCpuClock<ShareMark> {
  readonly wrapsWork = false;
  private current: Interval;
  private inFlight = 0;
  private lastEventAt: number;
  private pending: PendingEnd[] = [];
  private closeScheduled = false;
  private readonly closeSoon = (): void => {
    this.closeScheduled = false;
    try {
      if (this.pending.length > 0) this.closeInterval();
    } catch {
      // Runs on its own turn of the event loop: nothing may escape into the application's process.
    }
  };

  constructor(
    private readonly readCpuMs: () => number = processCpuMs,
    private readonly now: () => number = () => performance.now(),
    private readonly schedule: (task: () => void) => void = (task) => setImmediate(task),
    private readonly readLoopIdleMs: () => number = () => performance.eventLoopUtilization().idle,
  ) {
    this.lastEventAt = this.now();
    this.current = new Interval(0, this.readCpuMs(), this.lastEventAt, this.readLoopIdleMs());
  }

  begin(now: number): ShareMark {
    this.advance(now);
    if (this.inFlight === 0 && this.lastEventAt - this.current.startedAt > IDLE_READING_MAX_AGE_MS) this.closeInterval();
    this.inFlight++;
    return { interval: this.current, perRequestMs: this.current.perRequestMs };
  }

  run<T>(_mark: ShareMark, work: () => T): T {
    return work();
  }

  end(start: ShareMark, sink: CpuSink | undefined, now: number): void {
    this.advance(now);
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (sink === undefined) return;
    this.pending.push({ start, end: { interval: this.current, perRequestMs: this.current.perRequestMs }, sink });
    if (!this.closeScheduled) {
      this.closeScheduled = true;
      this.schedule(this.closeSoon);
    }
  }

  settle(): void {
    if (this.pending.length > 0) this.closeInterval();
  }

  /** Accounts the time since the last event to the requests in flight. */
  private advance(now: number): void {
    const elapsed = now - this.lastEventAt;
    if (this.inFlight > 0 && elapsed > 0) {
      this.current.perRequestMs += elapsed / this.inFlight;
      this.current.busyMs += elapsed;
    }
    // Never backwards: callers' timestamps may be a few µs older than the last reading's.
    if (elapsed > 0) this.lastEventAt = now;
  }

  private closeInterval(): void {
    const now = Math.max(this.now(), this.lastEventAt);
    this.advance(now);
    const closing = this.current;
    const cpuMs = this.readCpuMs();
    const loopIdleMs = this.readLoopIdleMs();
    closing.rate = closing.busyMs > 0 ? requestsShareOf(closing, cpuMs, now, loopIdleMs) / closing.busyMs : 0;
    this.current = new Interval(shareAt({ interval: closing, perRequestMs: closing.perRequestMs }), cpuMs, now, loopIdleMs);
    const pending = this.pending;
    this.pending = [];
    for (const { start, end, sink } of pending) sink.add(Math.max(0, shareAt(end) - shareAt(start)));
  }
}

/**
 * The part of an interval's CPU that goes to requests. The loop ran (was not waiting for I/O)
 * for `active` ms of the interval, and requests were in flight for `busyMs`: when the loop also
 * ran with none in flight (other I/O callbacks after the last request ended, before the reading),
 * that work is not theirs, so they get `busyMs / active` of the CPU, assuming an even rate while
 * the loop runs. Requests in flight while the loop waited (for their I/O) get all of it.
 */
function requestsShareOf(closing: Interval, cpuMs: number, now: number, loopIdleMs: number): number {
  const cpuSpent = Math.max(0, cpuMs - closing.cpuAtStartMs);
  const active = now - closing.startedAt - (loopIdleMs - closing.loopIdleAtStartMs);
  return closing.busyMs >= active ? cpuSpent : (cpuSpent * closing.busyMs) / active;
}
