/**
 * Top self-time functions of a V8 CPU profile (from `runner.js --profile`), and self time per
 * package, to see where a variant's per-request cost goes.
 *
 *   node dist/report/profile-top.js results/profiles/express-hello-statsd-cpu-false-r1.cpuprofile [--top 25]
 */
import { num, parseArgs } from '../common/args';
import { isIdle, packageOf, readCpuProfile, selfTimes } from './cpu-profile';

function main(): void {
  const args = parseArgs(process.argv.slice(3));
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-top.js <file.cpuprofile> [--top 25]');
  const top = num(args, 'top', 25);
  const profile = readCpuProfile(file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  // Idle time is not cost: percentages are of busy time.
  const total = [...self].filter(([id]) => !isIdle(byId.get(id)!)).reduce((a, [, us]) => a + us, 0);
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    if (isIdle(n)) continue;
    const fn = `${n.callFrame.functionName || '(anonymous)'}  ${packageOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    const pkg = packageOf(n.callFrame.url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(
    `${file}: ${(total / 1e6).toFixed(2)} s busy (idle excluded)\n\nself time by package`,
  );
  for (const [k, v] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${pct(v)}  ${k}`);
  console.log(`\ntop ${top} functions by self time`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(v)}  ${k}`);
}

main();
