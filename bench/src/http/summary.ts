import { max, median, min } from '../common/stats';
import type { HandlerName } from './app/controllers';
import type { AdapterName, VariantName } from './app/variant.types';
import type { RunResult } from './run-one';

export interface VariantSummary {
  adapter: AdapterName;
  handler: HandlerName;
  variant: VariantName;
  rounds: number;
  rpsMedian: number;
  /** Same-round throughput ratio to the baseline: median, min and max over rounds. */
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
  cpuUsPerReqMedian: number;
  cpuUsPerReqMin: number;
  cpuUsPerReqMax: number;
  /** Same-round CPU µs per request over the baseline's (median over rounds). */
  cpuAddedUsMedian: number;
  /**
   * Same-round baseline CPU per request / this variant's: the throughput ratio a CPU-bound
   * server would get, and much less sensitive to other processes on a shared machine.
   */
  cpuRatioMedian: number;
  cpuRatioMin: number;
  cpuRatioMax: number;
  /** Median server CPU seconds per second of load (see RunResult.serverCoreShare). */
  coreShareMedian: number;
  latencyP50MsMedian: number;
  latencyP99MsMedian: number;
  peakRssMbMedian: number;
  peakRssMbMax: number;
  bytesPer1000ReqMedian: number;
  datagramsPer1000ReqMedian: number;
  /** Rounds in which every recorded value reached the wire (or the in-memory store). */
  deliveryOkRounds: number;
}

export function baselineOf(runs: readonly RunResult[], r: RunResult): RunResult | undefined {
  return runs.find(
    (b) =>
      b.variant === 'baseline' &&
      b.round === r.round &&
      b.adapter === r.adapter &&
      b.handler === r.handler,
  );
}

export function summarize(runs: readonly RunResult[]): VariantSummary[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    const key = `${r.adapter}\u0000${r.handler}\u0000${r.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: VariantSummary[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const ratios: number[] = [];
    const added: number[] = [];
    const cpuRatios: number[] = [];
    for (const r of group) {
      const b = baselineOf(runs, r);
      if (b && b.rps > 0) ratios.push(r.rps / b.rps);
      if (b && Number.isFinite(b.cpuUsPerReq) && Number.isFinite(r.cpuUsPerReq)) {
        added.push(r.cpuUsPerReq - b.cpuUsPerReq);
        cpuRatios.push(b.cpuUsPerReq / r.cpuUsPerReq);
      }
    }
    const cpu = group.map((r) => r.cpuUsPerReq);
    out.push({
      adapter: first.adapter,
      handler: first.handler,
      variant: first.variant,
      rounds: group.length,
      rpsMedian: median(group.map((r) => r.rps)),
      ratioMedian: median(ratios),
      ratioMin: min(ratios),
      ratioMax: max(ratios),
      cpuUsPerReqMedian: median(cpu),
      cpuUsPerReqMin: min(cpu),
      cpuUsPerReqMax: max(cpu),
      cpuAddedUsMedian: median(added),
      cpuRatioMedian: median(cpuRatios),
      cpuRatioMin: min(cpuRatios),
      cpuRatioMax: max(cpuRatios),
      coreShareMedian: median(group.map((r) => r.serverCoreShare)),
      latencyP50MsMedian: median(group.map((r) => r.latencyP50Ms)),
      latencyP99MsMedian: median(group.map((r) => r.latencyP99Ms)),
      peakRssMbMedian: median(group.map((r) => r.peakRssMb)),
      peakRssMbMax: max(group.map((r) => r.peakRssMb)),
      bytesPer1000ReqMedian: median(group.map((r) => r.wire.bytesPer1000Req)),
      datagramsPer1000ReqMedian: median(group.map((r) => r.wire.datagramsPer1000Req)),
      deliveryOkRounds: group.filter((r) => r.delivery.ok).length,
    });
  }
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const f = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '-');

/** A plain-text table for the terminal. */
export function formatSummary(rows: readonly VariantSummary[]): string {
  const lines: string[] = [];
  const header = `${pad('adapter', 8)} ${pad('handler', 9)} ${pad('variant', 22)} ${lpad('req/s', 8)} ${lpad('ratio', 6)} ${lpad('spread', 11)} ${lpad('cpu µs/req', 10)} ${lpad('+µs', 6)} ${lpad('cpu×', 5)} ${lpad('core', 5)} ${lpad('p50', 4)} ${lpad('p99', 4)} ${lpad('rss MB', 7)} ${lpad('B/1k req', 9)} delivery`;
  lines.push(header, '-'.repeat(header.length + 4));
  for (const r of rows) {
    lines.push(
      `${pad(r.adapter, 8)} ${pad(r.handler, 9)} ${pad(r.variant, 22)} ${lpad(f(r.rpsMedian), 8)} ${lpad(f(r.ratioMedian, 2), 6)} ${lpad(`${f(r.ratioMin, 2)}–${f(r.ratioMax, 2)}`, 11)} ${lpad(f(r.cpuUsPerReqMedian), 10)} ${lpad(f(r.cpuAddedUsMedian), 6)} ${lpad(f(r.cpuRatioMedian, 2), 5)} ${lpad(f(r.coreShareMedian, 2), 5)} ${lpad(f(r.latencyP50MsMedian), 4)} ${lpad(f(r.latencyP99MsMedian), 4)} ${lpad(f(r.peakRssMbMax), 7)} ${lpad(r.bytesPer1000ReqMedian ? f(r.bytesPer1000ReqMedian) : '-', 9)} ${r.deliveryOkRounds}/${r.rounds}`,
    );
  }
  return lines.join('\n');
}
