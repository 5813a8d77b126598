import type { VariantContext } from '../variant.types';

/**
 * The options every nestjs-statsd variant (this build's or a reference build's) is registered
 * with besides what it measures: the local UDP sink, the prefix and one global tag.
 */
export function statsdConnection(ctx: VariantContext) {
  return {
    host: '127.0.0.1',
    port: ctx.statsdPort,
    prefix: 'bench',
    globalTags: { env: 'bench' },
  };
}
