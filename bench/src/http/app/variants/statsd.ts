import type { INestApplication } from '@nestjs/common';
import { StatsdModule, StatsdService } from 'nestjs-statsd';
import type { VariantContext, VariantSetup } from '../variant.types';

export type CpuMode = false | 'process' | 'attributed';

/** nestjs-statsd with its defaults except the CPU mode, sending to the local UDP sink. */
export function setup(ctx: VariantContext, cpu: CpuMode): VariantSetup {
  return {
    imports: [
      StatsdModule.forRoot({
        host: '127.0.0.1',
        port: ctx.statsdPort,
        prefix: 'bench',
        globalTags: { env: 'bench' },
        cpu,
      }),
    ],
    // flush() is synchronous in the current build; awaiting also covers a Promise-returning one.
    flush: async (app: INestApplication) => {
      await app.get(StatsdService).flush();
    },
    clientStats: (app: INestApplication) => ({ ...app.get(StatsdService).stats() }),
    wirePerRequest:
      cpu === false ? ['bench.http.request'] : ['bench.http.request', 'bench.http.request.cpu'],
  };
}
