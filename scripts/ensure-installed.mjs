// Runs before `npm start` and `npm test` (their `pre` scripts), so both work on a fresh clone:
// installs the locked dependencies with `npm ci` when node_modules is missing or older than
// package-lock.json (a pull that changed the lock). Otherwise it does nothing, in a few ms.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
// npm writes this file at the end of every install: it is the installed tree's own record.
const installed = join(root, 'node_modules', '.package-lock.json');

const upToDate = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.log('nestjs-statsd: installing the locked dependencies (npm ci) first');
  const npm = process.env.npm_execpath;
  const [command, args] =
    npm && /\.[cm]?js$/.test(npm)
      ? [process.execPath, [npm, 'ci', '--no-audit', '--no-fund']]
      : ['npm', ['ci', '--no-audit', '--no-fund']];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `nestjs-statsd: npm ci failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
    process.exit(result.status ?? 1);
  }
}
