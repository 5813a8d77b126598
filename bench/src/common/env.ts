import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Where things live, from the compiled file's point of view (bench/dist/common/env.js). */
export const BENCH_DIR = join(__dirname, '..', '..');
export const REPO_DIR = join(BENCH_DIR, '..');
export const DIST_DIR = join(BENCH_DIR, 'dist');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

export interface MachineInfo {
  date: string;
  node: string;
  cpuModel: string;
  cpuCount: number;
  memoryGb: number;
  platform: string;
  nest: string;
  hotShots: string;
  nestjsStatsd: string;
  /** Git tree of lib/ the run measured, `-dirty` with uncommitted changes; runs of one tree are pooled. */
  libTree?: string;
}

function pkgVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [BENCH_DIR] });
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    try {
      // Packages whose exports map hides package.json: walk from the entry point.
      const entry = require.resolve(name, { paths: [BENCH_DIR] });
      const idx = entry.lastIndexOf(`node_modules/${name}/`);
      const file = join(entry.slice(0, idx), 'node_modules', name, 'package.json');
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return 'n/a';
    }
  }
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cpuCount: c.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    nest: pkgVersion('@nestjs/core'),
    hotShots: pkgVersion('hot-shots'),
    nestjsStatsd: libStatus().version,
    libTree: libTree(),
  };
}

/** Runs git in the repository with `input` on its stdin; its output. Throws when git fails. */
export function gitOutput(args: readonly string[], input = ''): Buffer {
  return execFileSync('git', ['-C', REPO_DIR, ...args], {
    input,
    maxBuffer: 64 * 2 ** 20,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
}

/** The library sources as checked out (the build under test is made from them); undefined outside git. */
function libTree(): string | undefined {
  try {
    const git = (...args: string[]) => gitOutput(args).toString('utf8').trim();
    const tree = git('rev-parse', 'HEAD:lib');
    return git('status', '--porcelain', '--', 'lib') === '' ? tree : `${tree}-dirty`;
  } catch {
    return undefined;
  }
}

/** Whether bench/node_modules/nestjs-statsd is the real build or the stub (see scripts/link-lib.mjs). */
export function libStatus(): { available: boolean; version: string } {
  try {
    const file = join(BENCH_DIR, 'node_modules', 'nestjs-statsd', 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
      nestjsStatsdBenchStub?: boolean;
    };
    return {
      available: !pkg.nestjsStatsdBenchStub,
      version: pkg.nestjsStatsdBenchStub ? 'not built' : pkg.version,
    };
  } catch {
    return { available: false, version: 'not linked' };
  }
}

/** Why the `statsd-reference` variant is skipped when no other build is linked. */
export const REFERENCE_NOT_LINKED =
  'no reference build linked (node scripts/link-reference.mjs <checkout>)';

/** Another build of the library, as the `statsd-reference` variant runs it. */
export interface ReferenceBuild {
  commit: string;
  /** Git tree of its lib/. */
  libTree: string;
}

/** The build linked as `nestjs-statsd-reference` (scripts/link-reference.mjs), if any. */
export function referenceLib(): ReferenceBuild | undefined {
  try {
    const file = join(BENCH_DIR, 'node_modules', 'nestjs-statsd-reference', 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as ReferenceBuild;
    return { commit: pkg.commit, libTree: pkg.libTree };
  } catch {
    return undefined;
  }
}

/**
 * The linked reference build when `variants` asks for `statsd-reference` (`undefined` when it does
 * not), for drivers that cannot run without it; throws when it is asked for but not linked.
 */
export function requiredReference(
  variants: readonly string[],
  consequence: string,
): ReferenceBuild | undefined {
  if (!variants.includes('statsd-reference')) return undefined;
  const reference = referenceLib();
  if (reference === undefined)
    throw new Error(`statsd-reference: ${REFERENCE_NOT_LINKED}; ${consequence}`);
  return reference;
}
