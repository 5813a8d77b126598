import type { INestApplication } from '@nestjs/common';
import { StatsdModule, StatsdService } from 'nestjs-statsd';
import type { VariantContext, VariantSetup } from '../variant.types';
import { statsdConnection } from './statsd-connection';

/**
 * `default`: no CPU option (attributed accounting for a sample within a 1 % budget);
 * `attributed-every`: attributed accounting for every request (`cpuBudget: false`);
 * `budget-min`: attributed accounting at its floor (1 ms of accounting per second);
 * `process-share`: each request's share of the process's CPU; `false`: no CPU metric.
 */
export type CpuMode = 'default' | false | 'process-share' | 'attributed-every' | 'budget-min';

const CPU_OPTIONS: Record<string, object> = {
  default: {},
  false: { cpu: false },
  'process-share': { cpu: 'process-share' },
  'attributed-every': { cpu: 'attributed', cpuBudget: false },
  // The smallest budget there is: the accounting then costs its floor, 1 ms per second.
  'budget-min': { cpu: 'attributed', cpuBudget: Number.MIN_VALUE },
};

/** `metricTypes` of the request metrics; `undefined`: the default (timing). */
export type RequestMetricType = 'histogram' | 'distribution' | undefined;

/**
 * nestjs-statsd with its defaults except the CPU mode (and, for the type variants, the request
 * metrics' type), sending to the local UDP sink.
 */
export function setup(ctx: VariantContext, cpu: CpuMode, type?: RequestMetricType): VariantSetup {
  return {
    imports: [
      StatsdModule.forRoot({
        ...statsdConnection(ctx),
        ...CPU_OPTIONS[String(cpu)],
        ...(type === undefined ? {} : { metricTypes: { http: type } }),
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
      cpu === false || cpu === 'default' || cpu === 'budget-min' ? ['bench.http.request'] : ['bench.http.request', 'bench.http.request.cpu'],
  };
}
