import type { InstructionsFile } from '../http/instructions';
import { f } from './format';

/** Instructions per request under cachegrind (`dist/http/instructions.js`), one table per Node line. */
export function instructionsSection(files: readonly InstructionsFile[]): string[] {
  if (files.length === 0) return [];
  const lines = [
    '## Instructions per request (valgrind)',
    '',
    '`node dist/http/instructions.js`: each variant as two servers under cachegrind (instruction counts, no cache',
    'simulation), one warmed up only, the other warmed up and then given the measured requests; the difference of their',
    "totals per measured request. Start-up, warm-up and shutdown cancel, and the machine's neighbours do not move the",
    'count, so differences of about a per cent between variants or builds show. It counts work, not time: what',
    'costs time without instructions (cache misses, a core shared with another process) is not in it, and timers weigh',
    "about 40 times more per request than at full speed. The ratio is the baseline's count over the variant's.",
    "The default's sampler opens its windows by the clock, so under valgrind far more requests run with the hooks on",
    'than at full speed, and its count overstates what sampling costs (the notes below measure it at a realistic share).',
    '',
  ];
  for (const file of files) {
    const m = file.meta;
    lines.push(
      `### Node ${m.node} · ${m.adapter} · ${m.handler}`,
      '',
      `${m.date.slice(0, 16).replace('T', ' ')}, ${m.valgrind}, ${m.rounds} round(s), ${f(m.warmupRequests)} requests of warm-up, ${f(m.requests)} measured, autocannon -c ${m.connections}; git tree of \`lib/\` ${m.libTree ?? 'unrecorded'}.`,
      '',
      '| variant | instructions per request (median) | min–max over rounds | ratio to the baseline |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const s of file.summary) {
      lines.push(
        `| ${s.variant} | ${f(Math.round(s.perRequest))} | ${f(Math.round(s.perRequestMin))}–${f(Math.round(s.perRequestMax))} | ${s.ratio === undefined ? '–' : s.ratio.toFixed(3)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}
