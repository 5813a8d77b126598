import type { ApplicationConfig } from '@nestjs/core';
import type { StatsdRuntime } from '../runtime/statsd-runtime';
import { exceptionCaptureUnavailable, handlerStampUnavailable, unsupportedHttpAdapter } from '../statsd.messages';
import { installExceptionCapture } from './exception-capture';
import { installHandlerStamp } from './handler-stamp';
import { recorderFor } from './http-request-recorder';
import { installRequestHooks, type HttpAdapterLike } from './request-hooks';
import { StatsdInterceptor } from './statsd.interceptor';

/**
 * Puts the request measurement in place for an HTTP application: adapter hooks plus the
 * handler stamp (default), or the global interceptor (`http.mode: 'interceptor'`).
 */
export function installHttpInstrumentation(
  runtime: StatsdRuntime,
  adapter: HttpAdapterLike | undefined,
  config: ApplicationConfig,
): void {
  const http = runtime.options.http;
  if (!http.enabled || adapter === undefined) return;
  if (!installExceptionCapture()) runtime.log.warn(exceptionCaptureUnavailable());
  if (http.mode === 'interceptor') {
    config.addGlobalInterceptor(new StatsdInterceptor(runtime));
    return;
  }
  if (!installRequestHooks(adapter, recorderFor(runtime), runtime.requestCpu)) {
    runtime.log.warn(unsupportedHttpAdapter(adapter.getType()));
    return;
  }
  if (!installHandlerStamp()) runtime.log.warn(handlerStampUnavailable());
}
