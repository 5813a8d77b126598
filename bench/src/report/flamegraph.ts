/**
 * Flame graphs (SVG) of V8 CPU profiles from `runner.js --profile`: the call stacks of a
 * server's busy time, callers below callees, each frame as wide as the time spent in it and
 * everything it called. nestjs-statsd's frames are drawn in red; hover a frame for its figures.
 *
 *   node dist/report/flamegraph.js results/profiles/*.cpuprofile [--out-dir results/flame] [--min-px 0.4]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { num, parseArgs, str } from '../common/args';
import { RESULTS_DIR } from '../common/env';
import {
  type CpuProfile,
  isIdle,
  packageOf,
  type ProfileNode,
  readCpuProfile,
  selfTimes,
} from './cpu-profile';

const WIDTH = 1200;
const ROW_H = 16;
const HEADER_H = 48;
const CHAR_W = 6.6;
const OURS = 'nestjs-statsd';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PACKAGE_COLORS: Record<string, string> = {
  [OURS]: '#d62728',
  'node (internals)': '#9fb3c8',
  '(native / GC / idle)': '#b0b0b0',
  '@nestjs/core': '#7fa7d9',
  '@nestjs/common': '#9bbbe3',
  '@nestjs/platform-express': '#6f97cc',
  '@nestjs/platform-fastify': '#6f97cc',
  rxjs: '#b39ddb',
};

/** Warm colours for the rest, stable per package so two graphs can be compared. */
function colorOf(pkg: string): string {
  const known = PACKAGE_COLORS[pkg];
  if (known) return known;
  let h = 0;
  for (const c of pkg) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${25 + (h % 30)}, ${65 + (h % 20)}%, ${58 + (h % 12)}%)`;
}

interface Frame {
  node: ProfileNode;
  /** Busy time in this frame and everything it called (µs). */
  total: number;
  children: Frame[];
}

/** The call tree with each frame's inclusive busy time; the idle node is left out. */
function callTree(profile: CpuProfile): { root: Frame; selfOfOurs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  // V8 lists the "(root)" node first.
  const rootNode = profile.nodes[0]!;
  let selfOfOurs = 0;
  const build = (node: ProfileNode): Frame => {
    const mine = self.get(node.id) ?? 0;
    if (packageOf(node.callFrame.url) === OURS) selfOfOurs += mine;
    const children = (node.children ?? [])
      .map((id) => byId.get(id)!)
      .filter((child) => !isIdle(child))
      .map(build)
      .sort((a, b) => b.total - a.total);
    return { node, total: mine + children.reduce((sum, c) => sum + c.total, 0), children };
  };
  return { root: build(rootNode), selfOfOurs };
}

function frameLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = packageOf(url);
  return `${functionName || '(anonymous)'}${url ? ` ${pkg}:${lineNumber + 1}` : ''}`;
}

export function flameGraphSvg(profile: CpuProfile, title: string, minPx: number): string {
  const { root, selfOfOurs } = callTree(profile);
  const busy = root.total;
  const scale = WIDTH / Math.max(busy, 1);
  const rects: Array<{ x: number; depth: number; w: number; frame: Frame }> = [];
  let maxDepth = 0;
  const place = (frame: Frame, x: number, depth: number) => {
    const w = frame.total * scale;
    if (w < minPx) return;
    rects.push({ x, depth, w, frame });
    maxDepth = Math.max(maxDepth, depth);
    let childX = x;
    for (const child of frame.children) {
      place(child, childX, depth + 1);
      childX += child.total * scale;
    }
  };
  place(root, 0, 0);
  const height = HEADER_H + (maxDepth + 1) * ROW_H + 8;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(2)} %`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fbfbf8"/>`,
    `<text x="6" y="18" font-size="14" font-family="sans-serif">${esc(title)}</text>`,
    `<text x="6" y="36" font-family="sans-serif" fill="#444">${esc(
      `${(busy / 1e6).toFixed(2)} s busy (idle left out) · width = time in a frame and its callees · callers below · ` +
        `nestjs-statsd frames in red, their own time ${pct(selfOfOurs)} of busy time`,
    )}</text>`,
  ];
  for (const { x, depth, w, frame } of rects) {
    const label = frame.node === root.node ? 'all busy time' : frameLabel(frame.node);
    const y = height - 8 - (depth + 1) * ROW_H;
    const fill =
      frame.node === root.node ? '#cccccc' : colorOf(packageOf(frame.node.callFrame.url));
    const fits = Math.floor((w - 4) / CHAR_W);
    const text = fits >= 3 ? (label.length <= fits ? label : `${label.slice(0, fits - 1)}…`) : '';
    out.push(
      `<g><title>${esc(`${label}\n${pct(frame.total)} of busy time (${(frame.total / 1000).toFixed(1)} ms)`)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW_H - 1}" fill="${fill}" rx="1"/>` +
        (text ? `<text x="${(x + 2).toFixed(2)}" y="${y + ROW_H - 4}">${esc(text)}</text>` : '') +
        '</g>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function main(): void {
  const argv = process.argv.slice(2);
  const firstFlag = argv.findIndex((a) => a.startsWith('--'));
  const files = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
  const args = parseArgs(firstFlag < 0 ? [] : argv.slice(firstFlag));
  if (files.length === 0)
    throw new Error(
      'usage: flamegraph.js <file.cpuprofile>... [--out-dir results/flame] [--min-px 0.4]',
    );
  const outDir = str(args, 'out-dir', join(RESULTS_DIR, 'flame'));
  const minPx = num(args, 'min-px', 0.4);
  mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    const name = basename(file).replace(/\.cpuprofile$/, '');
    const out = join(outDir, `${name}.svg`);
    writeFileSync(out, flameGraphSvg(readCpuProfile(file), name, minPx));
    console.log(`wrote ${out}`);
  }
}

main();
