import { f } from './format';

/** Targets from the performance issues, per handler. */
export const TARGETS: { variant: string; handler: string; express: number; fastify: number }[] = [
  { variant: 'statsd-default', handler: 'hello', express: 0.97, fastify: 0.9 },
  { variant: 'statsd-cpu-false', handler: 'hello', express: 0.97, fastify: 0.9 },
  { variant: 'statsd-cpu-process', handler: 'hello', express: 0.97, fastify: 0.9 },
  { variant: 'statsd-cpu-attributed', handler: 'hello', express: 0.93, fastify: 0.85 },
  { variant: 'statsd-default', handler: 'realistic', express: 0.97, fastify: 0.95 },
];
export const PEERS = ['naive-hot-shots', 'nestjs-hot-shots', 'prometheus', 'otel'];

/** A ratio to the baseline: its median and the range shown next to it. */
export interface RatioFigure {
  median: number;
  lo: number;
  hi: number;
}

/** One variant on one adapter and handler, as a targets table needs it. */
export interface TargetInput {
  variant: string;
  adapter: string;
  handler: string;
  throughput: RatioFigure;
  cpu: RatioFigure;
}

/**
 * The targets table: each target's median throughput and CPU-time ratio, whether it is met, and
 * whether it is ahead of every peer measured in the same run. `rangeLabel` names the range shown.
 */
export function targetTable(rows: readonly TargetInput[], rangeLabel: string): string[] {
  const lines = [
    `| variant | handler | adapter | target | throughput ratio (${rangeLabel}) | met | CPU-time ratio (${rangeLabel}) | met | ahead of every peer (throughput / CPU) |`,
    '| --- | --- | --- | ---: | ---: | :---: | ---: | :---: | :---: |',
  ];
  const figure = (r: RatioFigure) => `${f(r.median, 2)} (${f(r.lo, 2)}–${f(r.hi, 2)})`;
  for (const t of TARGETS) {
    for (const adapter of ['express', 'fastify'] as const) {
      const alike = (s: TargetInput) => s.adapter === adapter && s.handler === t.handler;
      const r = rows.find((s) => s.variant === t.variant && alike(s));
      if (!r) continue;
      const target = t[adapter];
      const peers = rows.filter((s) => PEERS.includes(s.variant) && alike(s));
      const aheadBy = (pick: (s: TargetInput) => number) => {
        if (!peers.length) return '–';
        const behind = peers.filter((p) => pick(r) <= pick(p)).map((p) => p.variant);
        return behind.length ? `no (${behind.join(', ')})` : 'yes';
      };
      const met = (v: number) => (v >= target ? 'yes' : `no (−${f((target - v) * 100, 1)} pts)`);
      lines.push(
        `| ${t.variant} | ${t.handler} | ${adapter} | ≥ ${target.toFixed(2)} | ${figure(r.throughput)} | ${met(r.throughput.median)} | ${figure(r.cpu)} | ${met(r.cpu.median)} | ${aheadBy((s) => s.throughput.median)} / ${aheadBy((s) => s.cpu.median)} |`,
      );
    }
  }
  if (lines.length === 2) lines.push('| (nestjs-statsd variants not measured) | | | | | | | | |');
  return lines;
}
