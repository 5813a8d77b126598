import { absolute, type Args, list, num, str } from '../common/args';
import { libStatus, REFERENCE_NOT_LINKED, referenceLib, RESULTS_DIR } from '../common/env';
import { HANDLERS, type HandlerName } from './app/controllers';
import {
  ADAPTERS,
  type AdapterName,
  LIB_VARIANTS,
  VARIANTS,
  type VariantName,
} from './app/variant.types';
import { join } from 'node:path';

/** The HTTP runner's flags, resolved (see runner.ts for the command line). */
export interface RunnerOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  connections: number;
  maxMinutes: number;
  globalWarmupS: number;
  adapters: AdapterName[];
  handlers: HandlerName[];
  /** Variants to run: baseline always first, nestjs-statsd ones dropped when the lib is not built. */
  variants: VariantName[];
  skipped: { variant: VariantName; reason: string }[];
  out: string;
  /** Where to write V8 CPU profiles of the servers, when asked. */
  profileDir: string | undefined;
}

export function runnerOptions(args: Args): RunnerOptions {
  let variants = list<VariantName>(args, 'variants', VARIANTS, VARIANTS);
  const skipped: { variant: VariantName; reason: string }[] = [];
  const lib = libStatus();
  if (!lib.available) {
    for (const v of variants.filter((v) => LIB_VARIANTS.includes(v))) {
      skipped.push({
        variant: v,
        reason: `nestjs-statsd ${lib.version}: build the repo (npm run build at the root), then npm run build in bench/`,
      });
    }
    variants = variants.filter((v) => !LIB_VARIANTS.includes(v));
  }
  if (variants.includes('statsd-reference') && referenceLib() === undefined) {
    skipped.push({ variant: 'statsd-reference', reason: REFERENCE_NOT_LINKED });
    variants = variants.filter((v) => v !== 'statsd-reference');
  }
  if (!variants.includes('baseline')) variants = ['baseline', ...variants];
  const profile = args.profile === true ? join(RESULTS_DIR, 'profiles') : args.profile;
  return {
    rounds: num(args, 'rounds', 3),
    durationS: num(args, 'duration', 5),
    warmupS: num(args, 'warmup', 2),
    connections: num(args, 'connections', 50),
    maxMinutes: num(args, 'max-minutes', 40),
    globalWarmupS: num(args, 'global-warmup', 3),
    adapters: list<AdapterName>(args, 'adapters', ADAPTERS, ADAPTERS),
    handlers: list<HandlerName>(args, 'handlers', HANDLERS, HANDLERS),
    variants,
    skipped,
    out: absolute(str(args, 'out', join(RESULTS_DIR, 'http.json'))),
    profileDir: typeof profile === 'string' ? absolute(profile) : undefined,
  };
}
