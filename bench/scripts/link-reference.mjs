// Makes another build of the library importable as `nestjs-statsd-reference`, for the
// `statsd-reference` variant: an older commit measured in the same run as the current build.
//
//   node scripts/link-reference.mjs <checkout>      # a checkout (git worktree) with dist/cjs built
//
// A copy, for the reason given in copy-build.mjs (one Nest in the process). The commit and the
// git tree of the checkout's lib/ are written into the copy's package.json, and the paired runner
// records them in its result file.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyBuildAsPackage } from './copy-build.mjs';

const checkout = process.argv[2];
if (checkout === undefined) {
  console.error('usage: node scripts/link-reference.mjs <checkout with dist/cjs built>');
  process.exit(2);
}
const source = join(resolve(checkout), 'dist', 'cjs');
if (!existsSync(join(source, 'index.js'))) {
  console.error(
    `link-reference: ${source}/index.js not found (run \`npm run build\` in ${checkout})`,
  );
  process.exit(1);
}
const git = (...args) =>
  execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8' }).trim();
const commit = git('rev-parse', 'HEAD');
const libTree = git('rev-parse', 'HEAD:lib');

copyBuildAsPackage(source, 'nestjs-statsd-reference', { version: '0.0.0', commit, libTree });
console.log(
  `link-reference: commit ${commit.slice(0, 7)} (lib/ tree ${libTree.slice(0, 7)}) copied from ${source}`,
);
