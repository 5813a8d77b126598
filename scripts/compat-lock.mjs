// Refreshes the lockfiles `npm run compat` installs from (`npm run compat:lock`): for each NestJS
// major (COMPAT_MAJORS, default all) and each scratch project (e2e, smoke), writes the manifest
// compat derives from package.json and the selected e2e specs (COMPAT_E2E) to
// test/compat/lockfiles/nest<major>/<project>/package.json, and resolves a fresh package-lock.json
// beside it from the ranges (`npm install --package-lock-only`: no node_modules, nothing runs).
// Run it when compat says a manifest changed, or to take what `npm run compat:latest` found.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jsonText, lockDir, projects, readJson, root, selectedMajors } from './compat-projects.mjs';

const npmCli = process.env.npm_execpath;
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
);
const [npmFile, npmArgs] =
  npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];

const selection = projects(selectedMajors(), root);
let failed = 0;
for (const { major, kind, locked } of selection.projects) {
  const dir = lockDir(major, kind);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), jsonText(locked));
  // A fresh resolution: the newest versions in range, not an update of the previous lock.
  rmSync(join(dir, 'package-lock.json'), { force: true });
  const begin = Date.now();
  const result = spawnSync(
    npmFile,
    [
      ...npmArgs,
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: dir, env: childEnv, encoding: 'utf8', timeout: 300_000 },
  );
  const where = relative(root, dir);
  if (result.status !== 0) {
    failed++;
    console.error(`compat:lock: ${where} failed:\n${result.stdout}${result.stderr}`);
    continue;
  }
  const lock = readJson(join(dir, 'package-lock.json'));
  const core = lock.packages['node_modules/@nestjs/core']?.version;
  console.log(
    `compat:lock: ${where}: ${Object.keys(lock.packages).length - 1} packages, core ${core} (${Date.now() - begin} ms)`,
  );
}
console.log(
  `compat:lock: e2e specs: ${selection.specs.map((spec) => relative('test/e2e', spec)).join(', ')}`,
);
process.exitCode = failed === 0 ? 0 : 1;
