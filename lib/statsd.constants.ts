/**
 * Injection tokens, metadata keys and process-wide registry keys.
 *
 * Registry keys use `Symbol.for` so that the CommonJS and ESM builds, if both are loaded in one
 * process, still agree on them (the dual-package hazard).
 */

/** Injection token of the resolved runtime (aggregator, transport, clocks). Internal. */
export const STATSD_RUNTIME = Symbol.for('nestjs-statsd:runtime');

/** Metadata key set by `@SkipMetrics()`. */
export const SKIP_METRICS_METADATA = 'statsd:skip-metrics';

/** Property on the raw HTTP response that holds the request's measurement state. */
export const REQUEST_STATE = Symbol.for('nestjs-statsd:request-state');

/** `globalThis` slot holding the runtime that `@Measure()` reports to. */
export const ACTIVE_RUNTIME = Symbol.for('nestjs-statsd:active-runtime');

/** Marker set on a non-HTTP call's `ExecutionContext` once an interceptor measures it. */
export const MEASURED_CONTEXT = Symbol.for('nestjs-statsd:measured-context');

/** Marker set on Nest's `ExceptionsHandler.prototype` once it reports exceptions to us. */
export const EXCEPTION_CAPTURE_INSTALLED = Symbol.for('nestjs-statsd:exception-capture');

/** Marker set on Nest's `RouterExecutionContext.prototype` once route handlers stamp requests. */
export const HANDLER_STAMP_INSTALLED = Symbol.for('nestjs-statsd:handler-stamp');

/** Logger context used for every message of this library. */
export const LOG_CONTEXT = 'StatsdModule';
