import { Logger } from '@nestjs/common';
import { LOG_CONTEXT } from '../statsd.constants';

/**
 * Logs run-time errors at most once per interval and kind, counting what it held back, so an
 * agent that is down for an hour produces a handful of lines rather than one per flush.
 */
export class RateLimitedLogger {
  private readonly logger = new Logger(LOG_CONTEXT);
  private readonly lastLoggedAt = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** Logs `message(suppressedSinceLastLog)` unless a message of this kind was logged recently. */
  error(kind: string, message: (suppressed: number) => string): void {
    const now = Date.now();
    const last = this.lastLoggedAt.get(kind);
    if (last !== undefined && now - last < this.intervalMs) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    const held = this.suppressed.get(kind) ?? 0;
    this.suppressed.set(kind, 0);
    this.lastLoggedAt.set(kind, now);
    this.logger.error(message(held));
  }

  /** Logs a warning unconditionally (callers make it once-only). */
  warn(message: string): void {
    this.logger.warn(message);
  }
}
