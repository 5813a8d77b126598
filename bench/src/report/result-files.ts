/** Shapes of the JSON files in bench/results/, as the report reads them. */
import type { ClientRow } from '../client/client.bench';
import type { MachineInfo, ReferenceBuild } from '../common/env';
import type { RunFailure } from '../common/result-file';
import type { VariantSummary } from '../http/summary';
import type { PairedSummary, PairResult } from '../http/paired-summary';
import type { RunResult } from '../http/run-one';
import type { PairMethod } from '../http/pair-method';
import type { MeasureRow } from '../measure/measure.child';
import type { SoakSample } from '../memory/soak';
import type { Trend } from '../memory/soak-trend';

export interface HttpFile {
  meta: MachineInfo & {
    taskset: boolean;
    rounds: number;
    durationS: number;
    warmupS: number;
    connections: number;
    skipped: { variant: string; reason: string }[];
    partial: boolean;
    wallS: number;
  };
  runs: RunResult[];
  summary: VariantSummary[];
  failures: RunFailure[];
}
export interface PairedFile {
  meta: MachineInfo & {
    /** How the load reached the two servers; files before it was recorded were ABBA runs. */
    method?: PairMethod;
    taskset: boolean;
    rounds: number;
    blocks: number;
    sliceS: number;
    warmupS: number;
    connections: number;
    partial: boolean;
    wallS: number;
    /** The other build the `statsd-reference` variant measured (scripts/link-reference.mjs). */
    reference?: ReferenceBuild;
  };
  pairs: PairResult[];
  summary: PairedSummary[];
  failures: RunFailure[];
}
export interface MeasureFile {
  meta: MachineInfo;
  rows: (MeasureRow & { delivery: Record<string, { calls: number; received: number }> })[];
}
export interface ClientFile {
  meta: MachineInfo & { values: number; repeats: number };
  rows: ClientRow[];
}
export interface SoakFile {
  meta: MachineInfo & {
    adapter: string;
    handler: string;
    variant: string;
    durationS: number;
    skipS: number;
    connections: number;
  };
  load: { rps: number; requests: number };
  samples: SoakSample[];
  trend: { rss: Trend; heap: Trend; thresholdMbPerMin: number };
  delivery: { requests: number; received: Record<string, number>; ok: boolean };
}
export interface AsyncContextFile {
  meta: MachineInfo & { awaits: number; requests: number; repeats: number; taskset: boolean };
  rows: {
    layer: string;
    description: string;
    usPerRequest: { median: number; min: number; max: number };
    addedNsPerAwait: number;
  }[];
}
