import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sameLibCode } from '../common/lib-code';
import type { RunFailure } from '../common/result-file';
import { type PairedSummary, type PairResult, summarizePairs } from '../http/paired-summary';
import type { PairMethod } from '../http/pair-method';
import type { PairedFile } from './result-files';

/** One paired run's result file, as the report lists it. */
export interface PairedRun {
  file: string;
  meta: PairedFile['meta'];
  pairs: number;
}

/**
 * The paired runs of one library build, pooled: each pair is a fresh baseline/variant couple of
 * servers, so pairs from several runs of the same code are independent samples of the same ratio.
 */
export interface PooledPairedRuns {
  runs: PairedRun[];
  /** Runs left out because they measured another build of the library. */
  otherBuilds: PairedRun[];
  pairs: PairResult[];
  failures: RunFailure[];
  summary: PairedSummary[];
}

// Whatever their name says, files are told apart by the method they record (`meta.method`).
const PAIRED_FILE = /^http-(paired|concurrent).*\.json$/;

/** `v24.22.3` → `24`: runs are pooled per Node line, never across lines. */
export const nodeLineOf = (version: string): string => version.replace(/^v/, '').split('.')[0]!;

function readPairedFiles(
  dir: string,
  method: PairMethod,
): Array<{ name: string; data: PairedFile }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => PAIRED_FILE.test(name))
    .map((name) => ({
      name,
      data: JSON.parse(readFileSync(join(dir, name), 'utf8')) as PairedFile,
    }))
    .filter((f) => (f.data.meta.method ?? 'abba') === method)
    .sort((a, b) => a.data.meta.date.localeCompare(b.data.meta.date));
}

/** Sort key of a Node line or version: 24 (the line most users run) first, then newest first. */
export function nodeOrder(version: string): number {
  const line = Number(nodeLineOf(version));
  return line === 24 ? -1000 : -line;
}

/**
 * The paired runs in `dir`, one pool per Node line: 24 first (the line most users run), then the
 * others newest line first.
 */
export function readPairedRunsPerNodeLine(
  dir: string,
  method: PairMethod = 'abba',
): PooledPairedRuns[] {
  const lines = [...new Set(readPairedFiles(dir, method).map((f) => nodeLineOf(f.data.meta.node)))];
  lines.sort((a, b) => nodeOrder(a) - nodeOrder(b));
  return lines.map((line) => readPairedRuns(dir, line, method)!);
}

/**
 * Reads the result files of `method` in `dir` made on Node line `nodeLine` (every line when left out)
 * and pools the runs of the newest run's library build: its committed `lib/` tree (`meta.libTree`)
 * and the trees that differ from it in comments and layout only (`sameLibCode`); `undefined` when
 * there is none.
 */
export function readPairedRuns(
  dir: string,
  nodeLine?: string,
  method: PairMethod = 'abba',
): PooledPairedRuns | undefined {
  const files = readPairedFiles(dir, method).filter(
    (f) => nodeLine === undefined || nodeLineOf(f.data.meta.node) === nodeLine,
  );
  const newest = files.at(-1);
  if (newest === undefined) return undefined;
  // A dirty tree does not say which uncommitted change was measured: such a run stands alone.
  const build = newest.data.meta.libTree;
  const poolable = build !== undefined && !build.endsWith('-dirty');
  const sameBuild = poolable ? files.filter((f) => sameLibCode(f.data.meta.libTree, build)) : [];
  const pooled = sameBuild.length > 0 ? sameBuild : [newest];
  const listed = (f: (typeof files)[number]): PairedRun => ({
    file: f.name,
    meta: f.data.meta,
    pairs: f.data.pairs.length,
  });
  // `statsd-reference` is whatever build was linked for a run: only the newest one's pairs pool.
  const reference = [...pooled].reverse().find((f) => f.data.meta.reference !== undefined)?.data
    .meta.reference;
  const pairs = pooled.flatMap((f) =>
    f.data.pairs.filter(
      (pair) =>
        pair.variant !== 'statsd-reference' || f.data.meta.reference?.commit === reference?.commit,
    ),
  );
  return {
    runs: pooled.map(listed),
    otherBuilds: files.filter((f) => !pooled.includes(f)).map(listed),
    pairs,
    failures: pooled.flatMap((f) => f.data.failures),
    // Summarized again from the pairs, so files from an older runner get today's figures.
    summary: summarizePairs(pairs),
  };
}
