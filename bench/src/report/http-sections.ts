import type { VariantSummary } from '../http/summary';
import { f } from './format';
import type { HttpFile } from './result-files';

/** Targets from the performance issue, on the hello-world handler. */
const TARGETS: { variant: string; express: number; fastify: number }[] = [
  { variant: 'statsd-cpu-false', express: 0.97, fastify: 0.9 },
  { variant: 'statsd-cpu-process', express: 0.97, fastify: 0.9 },
  { variant: 'statsd-cpu-attributed', express: 0.93, fastify: 0.85 },
];
const PEERS = ['naive-hot-shots', 'nestjs-hot-shots', 'prometheus', 'otel'];

export function targetsSection(http: HttpFile): string[] {
  const lines = [
    '## Targets',
    '',
    'Medians of the same-round throughput ratio to the uninstrumented baseline, `hello` handler; the CPU-time ratio',
    "(baseline CPU µs per request ÷ the variant's) is the same comparison with the neighbours' noise taken out.",
    '',
  ];
  lines.push(
    '| variant | adapter | target | throughput ratio (spread) | met | CPU-time ratio | met | ahead of every peer (throughput / CPU) |',
    '| --- | --- | ---: | ---: | :---: | ---: | :---: | :---: |',
  );
  for (const t of TARGETS) {
    for (const adapter of ['express', 'fastify'] as const) {
      const r = http.summary.find(
        (s) => s.variant === t.variant && s.adapter === adapter && s.handler === 'hello',
      );
      if (!r) continue;
      const target = t[adapter];
      const peers = http.summary.filter(
        (s) => PEERS.includes(s.variant) && s.adapter === adapter && s.handler === 'hello',
      );
      const aheadBy = (pick: (s: VariantSummary) => number) => {
        if (!peers.length) return '–';
        const behind = peers.filter((p) => pick(r) <= pick(p)).map((p) => p.variant);
        return behind.length ? `no (${behind.join(', ')})` : 'yes';
      };
      const met = (v: number) => (v >= target ? 'yes' : `no (−${f((target - v) * 100, 0)} pts)`);
      lines.push(
        `| ${t.variant} | ${adapter} | ≥ ${target.toFixed(2)} | ${f(r.ratioMedian, 2)} (${f(r.ratioMin, 2)}–${f(r.ratioMax, 2)}) | ${met(r.ratioMedian)} | ${f(r.cpuRatioMedian, 2)} (${f(r.cpuRatioMin, 2)}–${f(r.cpuRatioMax, 2)}) | ${met(r.cpuRatioMedian)} | ${aheadBy((s) => s.ratioMedian)} / ${aheadBy((s) => s.cpuRatioMedian)} |`,
      );
    }
  }
  if (lines.length === 8) lines.push('| (nestjs-statsd variants not measured) | | | | | | | |');
  return lines;
}

export function httpTables(http: HttpFile): string[] {
  const lines: string[] = [];
  const groups = [...new Set(http.summary.map((s) => `${s.adapter}\u0000${s.handler}`))];
  for (const g of groups) {
    const [adapter, handler] = g.split('\u0000');
    lines.push(`### ${adapter} · ${handler}`, '');
    lines.push(
      '| variant | req/s | ratio | spread | CPU µs/req | +µs | CPU ratio | core | p50 ms | p99 ms | peak RSS MB | B / 1k req | datagrams / 1k req | delivered |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
    );
    for (const r of http.summary.filter((s) => s.adapter === adapter && s.handler === handler)) {
      const wire = r.bytesPer1000ReqMedian > 0;
      lines.push(
        `| ${r.variant} | ${f(r.rpsMedian)} | ${f(r.ratioMedian, 2)} | ${f(r.ratioMin, 2)}–${f(r.ratioMax, 2)} | ${f(r.cpuUsPerReqMedian)} | ${r.variant === 'baseline' ? '' : f(r.cpuAddedUsMedian)} | ${f(r.cpuRatioMedian, 2)} | ${f(r.coreShareMedian, 2)} | ${f(r.latencyP50MsMedian)} | ${f(r.latencyP99MsMedian)} | ${f(r.peakRssMbMax)} | ${wire ? f(r.bytesPer1000ReqMedian / 1024, 1) + ' KiB' : '–'} | ${wire ? f(r.datagramsPer1000ReqMedian, 1) : '–'} | ${r.deliveryOkRounds}/${r.rounds} |`,
      );
    }
    lines.push('');
  }
  return lines;
}
