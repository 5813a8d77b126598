import { GROWTH_MB_PER_MIN, trendOf } from '../memory/soak-trend';
import { f } from './format';
import type { AsyncContextFile, ClientFile, HttpFile, MeasureFile, SoakFile } from './result-files';

export function measureSection(m: MeasureFile | undefined): string[] {
  if (!m) return ['## @Measure() overhead', '', 'Not run (`npm run bench:measure`).', ''];
  const lines = [
    '## @Measure() overhead',
    '',
    'ns per call, median of batched samples (tinybench); target: ≤ 1,000 ns added on a sync method with `cpu: false`.',
    '',
  ];
  lines.push(
    '| config | method | undecorated ns | @Measure() ns | added ns | delivered (received / calls) |',
    '| --- | --- | ---: | ---: | ---: | --- |',
  );
  for (const r of m.rows) {
    const d = Object.entries(r.delivery)
      .map(([n, v]) => `${n.split('.').slice(-2).join('.')}: ${v.received}/${v.calls}`)
      .join('; ');
    lines.push(
      `| ${r.config} | ${r.kind} | ${f(r.plainNs)} | ${f(r.measuredNs)} | ${f(r.addedNs)} | ${d} |`,
    );
  }
  return [...lines, ''];
}

export function clientSection(c: ClientFile | undefined, http: HttpFile | undefined): string[] {
  const lines = ['## Client throughput', ''];
  if (!c) lines.push('Not run (`npm run bench:client`).', '');
  else {
    lines.push(
      `${c.meta.values.toLocaleString('en-US')} timings with five tags, median of ${c.meta.repeats}; "end to end" stops when the UDP sink has every value.`,
      '',
    );
    lines.push(
      '| client | ns / value (call) | values/s (call) | values/s (end to end) | datagrams / 1k values | KiB / 1k values | all received |',
      '| --- | ---: | ---: | ---: | ---: | ---: | :---: |',
    );
    for (const r of c.rows) {
      lines.push(
        `| ${r.target} | ${f(r.callNsPerValue)} | ${f(r.callValuesPerSec / 1000)}k | ${f(r.endToEndValuesPerSec / 1000)}k | ${f(r.datagramsPer1000Values, 1)} | ${f(r.bytesPer1000Values / 1024, 1)} | ${r.allReceived ? 'yes' : `no (${r.received}${r.kernelDrops ? `; kernel dropped ${r.kernelDrops} at the sink` : ''})`}|`,
      );
    }
    lines.push('');
  }
  if (http) {
    const wire = http.summary.filter((s) => s.bytesPer1000ReqMedian > 0 && s.handler === 'hello');
    if (wire.length) {
      lines.push('Per 1,000 HTTP requests (`hello`, from the HTTP runs, warm-up included):', '');
      lines.push('| variant | adapter | datagrams | KiB |', '| --- | --- | ---: | ---: |');
      for (const r of wire)
        lines.push(
          `| ${r.variant} | ${r.adapter} | ${f(r.datagramsPer1000ReqMedian, 1)} | ${f(r.bytesPer1000ReqMedian / 1024, 1)} |`,
        );
      lines.push('');
    }
  }
  return lines;
}

export function soakSection(
  s: SoakFile | undefined,
  baseline?: { name: string; file: SoakFile },
): string[] {
  if (!s) return ['## Memory over a sustained load', '', 'Not run (`npm run bench:soak`).', ''];
  // The uninstrumented app under the same load, when it was soaked too: V8 resizes its heap in
  // steps that a run's trend can read as growth, in either app.
  const other = baseline?.file;
  const comparable =
    other !== undefined &&
    other.meta.node === s.meta.node &&
    other.meta.adapter === s.meta.adapter &&
    other.meta.handler === s.meta.handler
      ? other
      : undefined;
  return [
    '## Memory over a sustained load',
    '',
    `${s.meta.adapter} · ${s.meta.handler} · ${s.meta.variant}, Node ${s.meta.node}, ${s.meta.durationS} s at -c ${s.meta.connections} (${f(s.load.rps)} req/s, ${s.load.requests.toLocaleString('en-US')} requests), sampled every second; trend = least-squares slope after ${s.meta.skipS} s, "growing" above ${GROWTH_MB_PER_MIN} MB/min with r² ≥ 0.5 and above it in each half of those samples too (a single step of V8's heap lies in one half; a leak grows in both).`,
    ...(comparable
      ? [
          '',
          `Beside it, the ${comparable.meta.variant} app (no instrumentation) soaked the same way: ${comparable.meta.durationS} s, ${f(comparable.load.rps)} req/s (\`bench/results/${baseline?.name}\`).`,
        ]
      : []),
    '',
    '| app | series | first | last | peak | slope MB/min | r² | halves MB/min | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...soakRows(s),
    ...(comparable ? soakRows(comparable) : []),
    '',
    `Delivery: ${Object.entries(s.delivery.received)
      .map(([n, v]) => `\`${n}\` ${v}`)
      .join(
        ', ',
      )} for ${s.delivery.requests} requests → ${s.delivery.ok ? 'every value received' : 'MISMATCH'}. Series: \`bench/results/soak.json\`.`,
    '',
  ];
}

function soakRows(s: SoakFile): string[] {
  const first = s.samples[0];
  const last = s.samples[s.samples.length - 1];
  const row = (series: string, pick: (x: SoakFile['samples'][number]) => number) => {
    // Judged again from the samples, so that runs recorded before the rule changed read the same way.
    const t = trendOf(s.samples, s.meta.skipS, pick);
    const halves = t.halvesMbPerMin?.map((h) => f(h, 2)).join(' / ') ?? '–';
    return `| ${s.meta.variant} | ${series} | ${f(first && pick(first), 1)} | ${f(last && pick(last), 1)} | ${f(
      Math.max(...s.samples.map(pick)),
      1,
    )} | ${f(t.slopeMbPerMin, 2)} | ${f(t.r2, 2)} | ${halves} | ${t.growing ? 'growing' : 'flat'} |`;
  };
  return [row('RSS MB', (x) => x.rssMb), row('heap used MB', (x) => x.heapUsedMb)];
}

/** What `cpu: 'attributed'` costs per async step, layer by layer, without Nest. */
export function asyncContextSection(files: AsyncContextFile[] | undefined): string[] {
  const title = "## `cpu: 'attributed'`, part by part";
  if (!files?.length) return [title, '', 'Not run (`npm run bench:async-context`).', ''];
  return [title, '', ...files.flatMap(asyncContextTable)];
}

function asyncContextTable(a: AsyncContextFile): string[] {
  const lines = [
    `### Node ${a.meta.node}`,
    '',
    `A "request" of ${a.meta.awaits} awaits, no Nest, each layer in its own process, ${a.meta.repeats} samples of ${a.meta.requests.toLocaleString('en-US')} requests alternated (median, min–max).`,
    'The first four rows stack, each adding to the one above; the next three are alternatives to the fourth (rejected: see the figures), and `sampled-1/64` is the shape of the default (`cpuBudget`): the fourth switched on for one request in 64.',
    '',
    '| layer | µs / request | min–max | ns added per await | what it is |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const r of a.rows)
    lines.push(
      `| ${r.layer} | ${f(r.usPerRequest.median, 2)} | ${f(r.usPerRequest.min, 2)}–${f(r.usPerRequest.max, 2)} | ${f(r.addedNsPerAwait)} | ${r.description} |`,
    );
  return [...lines, ''];
}
