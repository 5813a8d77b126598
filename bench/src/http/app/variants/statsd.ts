import type { INestApplication } from '@nestjs/common';
import { StatsdModule, StatsdService } from 'nestjs-statsd';
import type { VariantContext, VariantSetup } from '../variant.types';

/**
 * `default`: no CPU option (attributed accounting for a sample within a 1 % budget);
 * `attributed-every`: attributed accounting for every request (`cpuBudget: false`);
 * `process-share`: each request's share of the process's CPU; `false`: no CPU metric.
 */
export type CpuMode = 'default' | false | 'process-share' | 'attributed-every';

const CPU_OPTIONS: Record<string, object> = {
  default: {},
  false: { cpu: false },
  'process-share': { cpu: 'process-share' },
  'attributed-every': { cpu: 'attributed', cpuBudget: false },
};

/** nestjs-statsd with its defaults except the CPU mode, sending to the local UDP sink. */
export function setup(ctx: VariantContext, cpu: CpuMode): VariantSetup {
  return {
    imports: [
      StatsdModule.forRoot({
        host: '127.0.0.1',
        port: ctx.statsdPort,
        prefix: 'bench',
        globalTags: { env: 'bench' },
        ...CPU_OPTIONS[String(cpu)],
      }),
    ],
    // flush() is synchronous in the current build; awaiting also covers a Promise-returning one.
    flush: async (app: INestApplication) => {
      await app.get(StatsdService).flush();
    },
    clientStats: (app: INestApplication) => ({ ...app.get(StatsdService).stats() }),
    // The default sends `.cpu` for a sample of the requests (with |@rate): only the wall time is
    // one value per request there.
    wirePerRequest:
      cpu === false || cpu === 'default' ? ['bench.http.request'] : ['bench.http.request', 'bench.http.request.cpu'],
  };
}
