import { ExceptionsHandler } from '@nestjs/core/exceptions/exceptions-handler.js';
import { EXCEPTION_CAPTURE_INSTALLED } from '../statsd.constants';
import { patchPrototypeOnce } from './prototype-patch';
import { requestStateOf } from './request-state';

type Next = (this: unknown, exception: unknown, host: unknown) => unknown;

/**
 * Lets the request measurement see what a handler, pipe or guard threw. Every exception of an
 * HTTP route passes through Nest's `ExceptionsHandler.next(exception, host)` before any filter
 * runs (whichever filter then answers), so wrapping that one method once gives the `error` tag
 * without an interceptor and costs nothing when nothing throws.
 *
 * @returns false when this Nest version has no such method (the `error` tag is then missing).
 */
export function installExceptionCapture(): boolean {
  return patchPrototypeOnce<Next>(
    ExceptionsHandler,
    'next',
    EXCEPTION_CAPTURE_INSTALLED,
    (original) =>
      function next(exception, host) {
        noteException(exception, host);
        return original.call(this, exception, host);
      },
  );
}

function noteException(exception: unknown, host: unknown): void {
  try {
    const response = (host as { getArgByIndex?: (index: number) => unknown } | null)?.getArgByIndex?.(1);
    const state = requestStateOf(response);
    if (state !== undefined && state.error === undefined) state.error = exception;
  } catch {
    // Reading the host must never change how Nest handles the exception.
  }
}
