import type { PairedSummary } from '../http/paired-summary';
import type { VariantSummary } from '../http/summary';

/** What a chart needs of a row: where it goes (panel, bar, row). */
interface ChartRow {
  handler: string;
  adapter: string;
  variant: string;
}

const COLORS: Record<string, string> = { express: '#3b6fb6', fastify: '#e0822b' };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Which ratio a chart shows: median, min and max over rounds, and its subtitle. */
export interface RatioPick<R extends ChartRow = VariantSummary> {
  median: (r: R) => number;
  min: (r: R) => number;
  max: (r: R) => number;
  subtitle: string;
}

export const THROUGHPUT: RatioPick = {
  median: (r) => r.ratioMedian,
  min: (r) => r.ratioMin,
  max: (r) => r.ratioMax,
  subtitle: 'throughput ÷ same-round baseline (median; whisker: min–max over rounds)',
};

export const PAIRED_THROUGHPUT: RatioPick<PairedSummary> = {
  median: (r) => r.throughput.median,
  min: (r) => r.throughput.q1,
  max: (r) => r.throughput.q3,
  subtitle: 'throughput ÷ baseline, paired A/B blocks (median; whisker: interquartile range)',
};

export const CPU_TIME: RatioPick = {
  median: (r) => r.cpuRatioMedian,
  min: (r) => r.cpuRatioMin,
  max: (r) => r.cpuRatioMax,
  subtitle:
    'baseline CPU µs/request ÷ variant CPU µs/request, same round (median; whisker: min–max)',
};

/**
 * Horizontal grouped bars: one panel per handler, one row per variant, one bar per adapter
 * (median same-round ratio to the baseline), a whisker for the min–max spread.
 */
export function ratioSvg<R extends ChartRow>(
  rows: readonly R[],
  title: string,
  pick: RatioPick<R>,
): string {
  const handlers = [...new Set(rows.map((r) => r.handler))];
  const adapters = [...new Set(rows.map((r) => r.adapter))];
  const variants = [...new Set(rows.map((r) => r.variant))];
  const maxRatio =
    Math.max(1.1, ...rows.map((r) => (Number.isFinite(pick.max(r)) ? pick.max(r) : 0))) * 1.02;
  const labelW = 170;
  const plotW = 520;
  const barH = 11;
  const rowH = adapters.length * barH + 8;
  const panelTitleH = 26;
  const axisH = 24;
  const panelH = panelTitleH + variants.length * rowH + axisH;
  const top = 48;
  const legendH = 24;
  const width = labelW + plotW + 70;
  const height = top + handlers.length * (panelH + 12) + legendH;
  const x = (v: number) => labelW + (Math.max(0, v) / maxRatio) * plotW;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  );
  out.push(
    `<text x="${width / 2}" y="36" text-anchor="middle" fill="#555">${esc(pick.subtitle)}</text>`,
  );
  handlers.forEach((handler, hi) => {
    const y0 = top + hi * (panelH + 12);
    out.push(
      `<text x="8" y="${y0 + 16}" font-size="12" font-weight="bold">handler: ${esc(handler)}</text>`,
    );
    const plotTop = y0 + panelTitleH;
    const plotBottom = plotTop + variants.length * rowH;
    for (let t = 0; t <= maxRatio + 1e-9; t += 0.2) {
      const gx = x(t);
      out.push(`<line x1="${gx}" y1="${plotTop}" x2="${gx}" y2="${plotBottom}" stroke="#e5e5e5"/>`);
      out.push(
        `<text x="${gx}" y="${plotBottom + 14}" text-anchor="middle" fill="#555">${t.toFixed(1)}</text>`,
      );
    }
    out.push(
      `<line x1="${x(1)}" y1="${plotTop - 4}" x2="${x(1)}" y2="${plotBottom}" stroke="#333" stroke-dasharray="4 3"/>`,
    );
    variants.forEach((variant, vi) => {
      const ry = plotTop + vi * rowH + 4;
      out.push(
        `<text x="${labelW - 8}" y="${ry + (adapters.length * barH) / 2 + 4}" text-anchor="end">${esc(variant)}</text>`,
      );
      adapters.forEach((adapter, ai) => {
        const r = rows.find(
          (s) => s.handler === handler && s.variant === variant && s.adapter === adapter,
        );
        const by = ry + ai * barH;
        if (!r || !Number.isFinite(pick.median(r))) {
          out.push(
            `<text x="${labelW + 4}" y="${by + barH - 2}" fill="#999" font-size="9">n/a</text>`,
          );
          return;
        }
        const [med, lo, hi] = [pick.median(r), pick.min(r), pick.max(r)];
        out.push(
          `<rect x="${labelW}" y="${by}" width="${(x(med) - labelW).toFixed(1)}" height="${barH - 2}" fill="${COLORS[adapter] ?? '#777'}"><title>${esc(`${adapter} ${variant}: ${med.toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)})`)}</title></rect>`,
        );
        const whisker = hi > lo;
        if (whisker) {
          const wy = by + (barH - 2) / 2;
          out.push(
            `<line x1="${x(lo).toFixed(1)}" y1="${wy}" x2="${x(hi).toFixed(1)}" y2="${wy}" stroke="#222" stroke-width="1"/>`,
          );
          out.push(
            `<line x1="${x(lo).toFixed(1)}" y1="${wy - 3}" x2="${x(lo).toFixed(1)}" y2="${wy + 3}" stroke="#222"/>`,
          );
          out.push(
            `<line x1="${x(hi).toFixed(1)}" y1="${wy - 3}" x2="${x(hi).toFixed(1)}" y2="${wy + 3}" stroke="#222"/>`,
          );
        }
        out.push(
          `<text x="${(Math.max(x(med), whisker ? x(hi) : 0) + 4).toFixed(1)}" y="${by + barH - 3}" font-size="9" fill="#333">${med.toFixed(2)}</text>`,
        );
      });
    });
  });
  const ly = height - 10;
  adapters.forEach((adapter, i) => {
    const lx = labelW + i * 110;
    out.push(
      `<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${COLORS[adapter] ?? '#777'}"/><text x="${lx + 16}" y="${ly}">${esc(adapter)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
