import type { VariantContext, VariantName, VariantSetup } from '../variant.types';

/**
 * Loads one variant's module on demand: a variant's imports (nestjs-statsd, OpenTelemetry...)
 * are only required in the process that runs it, so one missing peer cannot break the others.
 */
export function loadVariant(name: VariantName, ctx: VariantContext): VariantSetup {
  switch (name) {
    case 'baseline':
      return (require('./baseline') as typeof import('./baseline')).setup();
    case 'baseline-hooks-once':
    case 'baseline-hooks-late':
    case 'baseline-hooks-warm-async':
    case 'baseline-hooks-warm-promise':
    case 'baseline-hooks-windows-async':
    case 'baseline-hooks-windows-promise':
      return (require('./baseline-hooks') as typeof import('./baseline-hooks')).setup(name);
    case 'noop-interceptor':
      return (require('./noop-interceptor') as typeof import('./noop-interceptor')).setup();
    case 'statsd-default':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'default');
    case 'statsd-cpu-false':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, false);
    case 'statsd-cpu-process':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'process-share');
    case 'statsd-cpu-attributed':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'attributed-every');
    case 'statsd-budget-min':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'budget-min');
    case 'statsd-type-histogram':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'default', 'histogram');
    case 'statsd-type-distribution':
      return (require('./statsd') as typeof import('./statsd')).setup(ctx, 'default', 'distribution');
    case 'statsd-reference':
      return (require('./statsd-reference') as typeof import('./statsd-reference')).setup(ctx);
    case 'naive-hot-shots':
      return (require('./naive-hot-shots') as typeof import('./naive-hot-shots')).setup(ctx);
    case 'nestjs-hot-shots':
      return (require('./nestjs-hot-shots') as typeof import('./nestjs-hot-shots')).setup(ctx);
    case 'prometheus':
      return (require('./prometheus') as typeof import('./prometheus')).setup();
    case 'otel':
      return (require('./otel') as typeof import('./otel')).setup(ctx);
  }
}
