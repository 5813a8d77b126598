import { describeSlicing } from '../http/pair-method';
import type { PairedSummary } from '../http/paired-summary';
import { f } from './format';
import { nodeLineOf, type PairedRun, type PooledPairedRuns } from './paired-runs';
import { targetTable } from './targets';

const describeRun = (r: PairedRun) =>
  `\`${r.file}\` (${r.meta.date.slice(0, 16).replace('T', ' ')}, \`lib/\` ${r.meta.libTree?.slice(0, 7) ?? 'unrecorded'}, ${r.pairs} pairs of ${r.meta.rounds} round(s) × ${describeSlicing(r.meta.method ?? 'abba', r.meta.blocks, r.meta.sliceS)}${r.meta.partial ? ', **partial: stopped by its time limit**' : ''}${r.meta.reference ? `; \`statsd-reference\` = commit ${r.meta.reference.commit.slice(0, 7)}` : ''})`;

const abbaHeading = (m: PairedRun['meta']): string[] => [
  `## Targets, paired A/B runs, Node ${nodeLineOf(m.node)}`,
  '',
  `\`node dist/http/paired.js\` (Node ${m.node}): a fresh baseline server and a fresh variant server side by side on core 1, the`,
  `load alternating between them in slices, baseline-variant-variant-baseline (variant first in odd rounds); each such block gives one ratio, which cancels`,
  `the machine's drift over the block. A fresh pair of servers per round, ${m.warmupS} s warm-up of each, autocannon -c ${m.connections}${m.taskset ? '' : ', unpinned'}.`,
];

const concurrentHeading = (m: PairedRun['meta']): string[] => [
  `## Targets, concurrent pairs, Node ${nodeLineOf(m.node)}`,
  '',
  `\`node dist/http/paired.js --concurrent\` (Node ${m.node}): a fresh baseline server and a fresh variant server on core 1, both`,
  `loaded during the same ${m.sliceS} s by their own autocannon -c ${m.connections} on core 0${m.taskset ? '' : ' (unpinned)'}; each such slice gives one ratio of CPU per request, in which the`,
  `machine's swings, hitting both at once, cancel. A fresh pair of servers per round, ${m.warmupS} s of warm-up together.`,
];

/**
 * The targets judged on one pool of paired runs (`http-paired*.json` or `http-concurrent*.json` in
 * bench/results), and every variant's figures.
 */
export function pairedSection(p: PooledPairedRuns): string[] {
  const m = p.runs.at(-1)!.meta;
  const aa = p.summary.filter((s) => s.variant === 'baseline');
  const lines = [
    ...(m.method === 'concurrent' ? concurrentHeading(m) : abbaHeading(m)),
    `Two servers of one build differ by a few per cent, so pairs, not blocks, narrow the median: the runs of the same library`,
    `build (git tree of \`lib/\` ${m.libTree ?? 'unrecorded'}, and the trees that differ from it in comments and layout only) are pooled, ${p.runs.length} here:`,
    '',
    ...p.runs.map((r) => `- ${describeRun(r)}`),
    ...p.otherBuilds.map((r) => `- not pooled, another build of the library: ${describeRun(r)}`),
    '',
    'Medians over blocks, with the interquartile range.',
    '',
    ...targetTable(
      p.summary.map((s) => ({
        variant: s.variant,
        adapter: s.adapter,
        handler: s.handler,
        throughput: { median: s.throughput.median, lo: s.throughput.q1, hi: s.throughput.q3 },
        cpu: { median: s.cpu.median, lo: s.cpu.q1, hi: s.cpu.q3 },
      })),
      'IQR',
    ),
    '',
  ];
  if (aa.length)
    lines.push(
      `**The method's own noise** (A/A: a baseline against another baseline): ${aa
        .map(
          (s) =>
            `${s.adapter} ${s.handler} ${f(s.throughput.median, 2)} (IQR ${f(s.throughput.q1, 2)}–${f(s.throughput.q3, 2)}, ${f(s.throughput.min, 2)}–${f(s.throughput.max, 2)})`,
        )
        .join(', ')}.`,
      '',
    );
  lines.push(...referenceSentence(p.summary));
  lines.push(
    '| adapter · handler | variant | pairs / blocks | throughput ratio | IQR | min–max | CPU-time ratio | IQR | CPU µs/req baseline → variant | delivered |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
  );
  for (const s of p.summary) {
    const t = s.throughput;
    const c = s.cpu;
    lines.push(
      `| ${s.adapter} · ${s.handler} | ${s.variant === 'baseline' ? 'baseline (A/A)' : s.variant} | ${s.pairs} / ${s.blocks} | ${f(t.median, 2)} | ${f(t.q1, 2)}–${f(t.q3, 2)} | ${f(t.min, 2)}–${f(t.max, 2)} | ${f(c.median, 2)} | ${f(c.q1, 2)}–${f(c.q3, 2)} | ${f(s.baselineCpuUs, 1)} → ${f(s.variantCpuUs, 1)} | ${s.deliveryOk ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  for (const x of p.failures)
    lines.push(
      `- Failed: round ${x.round + 1} ${x.adapter}/${x.handler}/${x.variant}: ${x.error.split('\n')[0]}`,
    );
  if (p.failures.length) lines.push('');
  return lines;
}

/**
 * Another build (`statsd-reference`) beside the default of the same runs, where the pool has both:
 * with the CPU-time issue's reference linked, the comparison its "costs what today's 'process'
 * costs" asks for.
 */
function referenceSentence(summary: readonly PairedSummary[]): string[] {
  const cells = summary
    .filter((s) => s.variant === 'statsd-reference')
    .flatMap((reference) => {
      const current = summary.find(
        (s) =>
          s.variant === 'statsd-default' &&
          s.adapter === reference.adapter &&
          s.handler === reference.handler,
      );
      if (current === undefined) return [];
      return [
        `${reference.adapter} ${reference.handler} ${f(reference.throughput.median, 2)} / ${f(current.throughput.median, 2)} (CPU ${f(reference.cpu.median, 2)} / ${f(current.cpu.median, 2)})`,
      ];
    });
  if (cells.length === 0) return [];
  return [
    `**Another build beside the default** (\`statsd-reference\`, another commit of this library with its own default options, named in the run list; same runs), ratio to the baseline, median, that build / this one: ${cells.join(', ')}.`,
    '',
  ];
}
