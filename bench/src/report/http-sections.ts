import { f } from './format';
import type { HttpFile } from './result-files';
import { targetTable } from './targets';

export function targetsSection(http: HttpFile): string[] {
  return [
    '## Targets, rotating runs',
    '',
    'Medians of the same-round throughput ratio to the uninstrumented baseline; the CPU-time ratio',
    "(baseline CPU µs per request ÷ the variant's) is the same comparison with the neighbours' noise taken out.",
    '',
    ...targetTable(
      http.summary.map((s) => ({
        variant: s.variant,
        adapter: s.adapter,
        handler: s.handler,
        throughput: { median: s.ratioMedian, lo: s.ratioMin, hi: s.ratioMax },
        cpu: { median: s.cpuRatioMedian, lo: s.cpuRatioMin, hi: s.cpuRatioMax },
      })),
      'min–max',
    ),
  ];
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
