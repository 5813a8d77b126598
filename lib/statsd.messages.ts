import { inspect } from 'node:util';

/**
 * Every error and warning text of the library. Tests import these functions and assert the
 * exact text, so a message cannot drift from what users see.
 */

/** Renders a received value the way messages quote it: strings in quotes, the rest inspected. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  return inspect(value, { depth: 1, breakLength: Infinity });
}

/** Startup error for an option that does not have the expected form. */
export function invalidOption(option: string, expectation: string, received: unknown): string {
  return `StatsdModule: "${option}" must be ${expectation} (received ${describeValue(received)}).`;
}

/** Startup error for an option given together with another it excludes. */
export function conflictingOptions(option: string, other: string): string {
  return `StatsdModule: "${option}" cannot be combined with "${other}".`;
}

/** Startup error when an environment variable used as a default is malformed. */
export function invalidEnvironmentVariable(variable: string, expectation: string, received: string): string {
  return `StatsdModule: environment variable ${variable} must be ${expectation} (received ${describeValue(received)}).`;
}

/** Startup error when a `forRootAsync` factory returns nothing usable. */
export function missingAsyncOptions(received: unknown): string {
  return `StatsdModule: the forRootAsync factory must return an options object (received ${describeValue(received)}).`;
}

/** Run-time error: a value that cannot be put on the wire was recorded and dropped. */
export function droppedInvalidValue(metric: string, value: unknown): string {
  return `StatsdModule: dropped a value of "${metric}" that is not a finite number within ±1e15, or is a negative timing (received ${describeValue(value)}).`;
}

/** Run-time error: a metric name that sanitizes to nothing. */
export function droppedInvalidName(name: unknown): string {
  return `StatsdModule: dropped a metric whose name is empty or not a string (received ${describeValue(name)}).`;
}

/** Run-time warning, once per metric: the tag-combination limit was reached. */
export function cardinalityLimitReached(metric: string, limit: number): string {
  return `StatsdModule: metric "${metric}" reached ${limit} distinct tag combinations; further new combinations are reported with their tag values replaced by "other".`;
}

/** Run-time warning, once: the metric-name limit was reached. */
export function metricNameLimitReached(limit: number): string {
  return `StatsdModule: ${limit} distinct metric names reached; values of further new names are dropped and counted.`;
}

/** Run-time error: sending to the agent failed (rate-limited by the caller). */
export function sendFailed(error: unknown, suppressed: number): string {
  const detail = error instanceof Error ? error.message : String(error);
  const more = suppressed > 0 ? ` (${suppressed} similar errors since the last report)` : '';
  return `StatsdModule: sending metrics failed: ${detail}${more}. The application keeps running; metrics of this flush are lost.`;
}

/** Run-time error: our own instrumentation failed; the request or method was not affected. */
export function instrumentationFailed(where: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `StatsdModule: ${where} failed to record a metric: ${detail}. The application was not affected.`;
}

/** Shutdown warning: closing the client did not finish in time. */
export function closeTimedOut(timeoutMs: number): string {
  return `StatsdModule: closing the StatsD client did not finish within ${timeoutMs} ms; shutdown continues without waiting.`;
}

/** Startup warning: some families' `metricTypes` do not exist in the flavor and are sent as timings. */
export function metricTypeFallback(families: readonly string[], flavor: string): string {
  const options = families.map((family) => `metricTypes.${family}`).join(', ');
  return `StatsdModule: flavor "${flavor}" has no distribution${flavor === 'statsd' ? ' or histogram' : ''} type; ${options} ${families.length === 1 ? 'is' : 'are'} sent as timings (ms).`;
}

/** Startup warning: request metrics need an Express or Fastify adapter. */
export function unsupportedHttpAdapter(type: string): string {
  return `StatsdModule: automatic request metrics support the Express and Fastify adapters, not "${type}"; set http.mode to "interceptor" to measure through StatsdInterceptor instead.`;
}

/** Startup warning: Nest's route handlers could not be wrapped, so no handler tags. */
export function handlerStampUnavailable(): string {
  return 'StatsdModule: could not hook into Nest\'s RouterExecutionContext; request metrics will not carry the "controller" and "handler" tags on this NestJS version.';
}

/** Startup warning: Nest's exception handler could not be reached, so no `error` tag. */
export function exceptionCaptureUnavailable(): string {
  return 'StatsdModule: could not hook into Nest\'s ExceptionsHandler; request metrics will not carry the "error" tag on this NestJS version.';
}
