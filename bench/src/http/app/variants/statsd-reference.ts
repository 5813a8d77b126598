import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { VariantContext, VariantSetup } from '../variant.types';
import { statsdConnection } from './statsd-connection';

/** The part of the reference build's public API this variant uses (stable across its versions). */
interface ReferenceLibrary {
  StatsdModule: { forRoot(options: object): DynamicModule };
  StatsdService: abstract new (...args: never[]) => { flush(): unknown };
}

/**
 * `statsd-reference`: another build of the library (`scripts/link-reference.mjs`), with its own
 * defaults and the same connection options as the `statsd-*` variants, so that an older commit
 * is measured against the same baseline, in the same run, as the current build.
 */
export function setup(ctx: VariantContext): VariantSetup {
  // Required at run time: the package exists only once a reference build has been linked.
  const reference = require('nestjs-statsd-reference') as ReferenceLibrary;
  return {
    imports: [reference.StatsdModule.forRoot(statsdConnection(ctx))],
    flush: async (app: INestApplication) => {
      await app.get(reference.StatsdService).flush();
    },
    // Whatever its CPU default, every build sends the wall time once per request.
    wirePerRequest: ['bench.http.request'],
  };
}
