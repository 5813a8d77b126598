/**
 * Writes BENCHMARKS.md at the repo root and the charts in bench/results/ from the JSON results
 * there (http.json, http-paired*.json, instructions-node*.json, measure.json, async-context-node*.json,
 * client.json, soak.json; each optional).
 *
 *   node dist/report/report.js [--dir results] [--out ../BENCHMARKS.md] [--svg results/throughput-ratio.svg]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { absolute, parseArgs, str } from '../common/args';
import { REPO_DIR, RESULTS_DIR } from '../common/env';
import type { InstructionsFile } from '../http/instructions';
import {
  type AsyncContextFile,
  benchmarksMarkdown,
  type ClientFile,
  type HttpFile,
  type MeasureFile,
  type SoakFile,
} from './markdown';
import { nodeLineOf, nodeOrder, readPairedRunsPerNodeLine } from './paired-runs';
import { CPU_TIME, PAIRED_THROUGHPUT, ratioSvg, THROUGHPUT } from './svg';

function read<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** One file per Node line (async-context-node24.json…), the primary line first. */
function readPerNodeLine<T extends { meta: { node: string } }>(dir: string, name: RegExp): T[] {
  return readdirSync(dir)
    .filter((file) => name.test(file))
    .map((file) => read<T>(join(dir, file))!)
    .sort((a, b) => nodeOrder(a.meta.node) - nodeOrder(b.meta.node));
}

function main(): void {
  const args = parseArgs();
  const dir = absolute(str(args, 'dir', RESULTS_DIR));
  const http = read<HttpFile>(absolute(str(args, 'http', join(dir, 'http.json'))));
  const measure = read<MeasureFile>(join(dir, 'measure.json'));
  const asyncContext = readPerNodeLine<AsyncContextFile>(dir, /^async-context.*\.json$/);
  const instructions = readPerNodeLine<InstructionsFile>(dir, /^instructions-node\d+\.json$/);
  const client = read<ClientFile>(join(dir, 'client.json'));
  const soak = read<SoakFile>(join(dir, 'soak.json'));
  // The uninstrumented app's soak on the same Node line, named `soak-baseline-node<line>.json`.
  const soakBaselineName = soak && `soak-baseline-node${nodeLineOf(soak.meta.node)}.json`;
  const soakBaselineFile = soakBaselineName
    ? read<SoakFile>(join(dir, soakBaselineName))
    : undefined;
  const soakBaseline =
    soakBaselineName && soakBaselineFile
      ? { name: soakBaselineName, file: soakBaselineFile }
      : undefined;
  const paired = readPairedRunsPerNodeLine(dir);
  const concurrent = readPairedRunsPerNodeLine(dir, 'concurrent');
  const out = absolute(str(args, 'out', join(REPO_DIR, 'BENCHMARKS.md')));
  const svgOut = absolute(str(args, 'svg', join(dir, 'throughput-ratio.svg')));
  if (http) {
    const title = `nestjs-statsd HTTP overhead · Node ${http.meta.node} · ${http.meta.date.slice(0, 10)}`;
    writeFileSync(svgOut, ratioSvg(http.summary, title, THROUGHPUT));
    const cpuSvgOut = join(dirname(svgOut), 'cpu-ratio.svg');
    writeFileSync(cpuSvgOut, ratioSvg(http.summary, title, CPU_TIME));
    console.log(`wrote ${svgOut} and ${cpuSvgOut}`);
  }
  for (const pool of paired) {
    const newest = pool.runs.at(-1)!.meta;
    const pairedSvgOut = join(dirname(svgOut), `paired-ratio-node${nodeLineOf(newest.node)}.svg`);
    const title = `nestjs-statsd HTTP overhead, paired A/B · Node ${newest.node} · ${newest.date.slice(0, 10)}`;
    writeFileSync(pairedSvgOut, ratioSvg(pool.summary, title, PAIRED_THROUGHPUT));
    console.log(`wrote ${pairedSvgOut}`);
  }
  // Hand-written explanations of missed targets, kept next to the code that measures them.
  const notesFile = absolute('TARGETS-NOTES.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : undefined;
  writeFileSync(
    out,
    benchmarksMarkdown({
      http,
      measure,
      asyncContext,
      client,
      soak,
      soakBaseline,
      paired,
      concurrent,
      instructions,
      targetNotes: notes,
    }),
  );
  console.log(`wrote ${out}`);
}

main();
