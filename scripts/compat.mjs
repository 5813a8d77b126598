// NestJS compatibility check (`npm run compat`): for each NestJS major (10, 11, 12), in a scratch
// dir under the OS temp dir, installs that major's @nestjs/common, core, testing, platform-express
// and platform-fastify with the test dependencies the selected specs need, then
//   types  type-checks lib/ against that major (the CJS and the ESM build config);
//   e2e    runs a representative part of the e2e suite (real apps, real UDP, real StatsD daemon);
//   smoke  installs the packed tarball into a scratch app and runs a CommonJS and an ES module
//          consumer (test/compat/http-consumer.*) on Express and on Fastify: real requests, and
//          their `http.request` lines checked on a local UDP socket.
// Sources are snapshotted once (lib, test, configs) and the package is built and packed from the
// snapshot, so edits made meanwhile cannot mix into a run and the repo's dist/ is left alone.
// NestJS 12 is ESM-only: its e2e run uses test/compat/jest.nest12.config.js (@swc/jest to CommonJS).
//
// Two modes:
//   locked (default)  each scratch project is installed with `npm ci` from the package.json and
//                     package-lock.json committed under test/compat/lockfiles/nest<major>/<project>/
//                     (scripts/compat-projects.mjs says what each project holds). If the manifest
//                     compat derives (from package.json and the selected specs) is not the committed
//                     one, that major fails and says to run `npm run compat:lock`.
//   latest            COMPAT_LATEST=1 or --latest (`npm run compat:latest`): installs the newest
//                     versions in range without a lockfile, as a new user would get them, and prints
//                     how they drift from the committed lockfiles. Its exit code says only whether
//                     the checks passed; the caller decides whether that gates anything.
//
// Every child command has a timeout and the whole run a budget; prints a matrix and exits non-zero
// on any failure. Installs prefer npm's cache and skip install scripts (hot-shots' optional
// unix-dgram is not built, so the selected specs must not need UDS).
//
// Environment: COMPAT_MAJORS=10,12 picks majors; COMPAT_E2E='http-*,testing*' replaces the spec
// globs (names under test/e2e, with or without `.e2e-spec.ts`; in locked mode only while they import
// the same packages); COMPAT_LATEST=1 picks the latest mode; COMPAT_BUDGET_MS (default 14 min);
// COMPAT_KEEP=1 keeps the scratch dir and its logs/ (always kept when something failed).
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  E2E_GLOBS,
  jsonText,
  lockDir,
  LOCKFILES,
  MAJORS,
  projects,
  readJson,
  root,
  selectedMajors,
} from './compat-projects.mjs';

/** Files and folders of the repo the scratch copy needs. */
const COPIED = [
  'lib',
  'test',
  'package.json',
  'jest.config.js',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.build.esm.json',
  'tsconfig.spec.json',
];

const BUDGET_MS = Number(process.env.COMPAT_BUDGET_MS ?? 14 * 60_000);
const TIMEOUT_MS = {
  build: 180_000,
  pack: 120_000,
  install: 300_000,
  tsc: 240_000,
  jest: 420_000,
  app: 60_000,
};
const INSTALL_CONCURRENCY = 3;
const FORMATS = ['cjs', 'esm'];
const ADAPTERS = ['express', 'fastify'];

const started = Date.now();
const deadline = started + BUDGET_MS;
const majors = selectedMajors();

// Run npm as a fresh top-level command: drop what `npm run` put in the environment for scripts.
const npmCli = process.env.npm_execpath;
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
);

const scratch = mkdtempSync(join(tmpdir(), 'nestjs-statsd-compat-'));
const logDir = join(scratch, 'logs');
mkdirSync(logDir);

/** Process groups still running, killed if compat itself is interrupted. */
const running = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const pid of running) killGroup(pid, 'SIGKILL');
    console.error(`compat: interrupted (${signal}); scratch kept in ${scratch}`);
    process.exit(130);
  });
}

/**
 * Runs a command in its own process group, with a timeout capped by the remaining budget; its
 * output goes to logs/<label>.log. Never rejects: the result says what happened.
 */
function run(label, file, args, { cwd, timeoutMs, env = childEnv }) {
  const limit = Math.min(timeoutMs, deadline - Date.now());
  const logFile = join(logDir, `${label}.log`);
  const command = [file === process.execPath ? 'node' : file, ...args].join(' ');
  if (limit <= 0) {
    writeFileSync(logFile, `$ ${command}\nnot started: the ${BUDGET_MS} ms budget is spent\n`);
    return Promise.resolve({
      ok: false,
      output: '',
      timedOut: true,
      ms: 0,
      logFile,
      reason: 'budget spent',
    });
  }
  return new Promise((done) => {
    const begin = Date.now();
    const chunks = [];
    const stdoutChunks = [];
    const child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, limit);
    child.stdout.on('data', (chunk) => {
      chunks.push(chunk);
      stdoutChunks.push(chunk);
    });
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    let finished = false;
    const finish = (code, signal, spawnError) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Whatever the command left behind in its group (a daemon, a worker) goes with it.
      killGroup(child.pid, 'SIGKILL');
      running.delete(child.pid);
      const ms = Date.now() - begin;
      const output = Buffer.concat(chunks).toString('utf8');
      const reason = spawnError
        ? spawnError.message
        : timedOut
          ? `timed out after ${limit} ms`
          : code === 0
            ? undefined
            : `exit ${code ?? signal}`;
      writeFileSync(
        logFile,
        `$ ${command}\n(in ${cwd})\n${output}\n-- ${reason ?? 'exit 0'} after ${ms} ms\n`,
      );
      const stdout = Buffer.concat(stdoutChunks).toString('utf8');
      done({ ok: reason === undefined, output, stdout, timedOut, ms, logFile, reason });
    };
    child.once('error', (error) => finish(null, null, error));
    // After 'exit', wait for the pipes to drain ('close'), but not for a grandchild that holds
    // them open: that one is killed with the group.
    child.once('exit', (code, signal) => {
      const drained = setTimeout(() => finish(code, signal), 2000);
      child.once('close', () => {
        clearTimeout(drained);
        finish(code, signal);
      });
    });
  });
}

const npm = (label, args, cwd, timeoutMs) =>
  npmCli && /\.[cm]?js$/.test(npmCli)
    ? run(label, process.execPath, [npmCli, ...args], { cwd, timeoutMs })
    : run(label, 'npm', args, { cwd, timeoutMs });

const LATEST =
  process.argv.includes('--latest') ||
  !['', '0', 'false'].includes(process.env.COMPAT_LATEST ?? '');
const MODE = LATEST ? 'latest' : 'locked';
const INSTALL = [
  ...(LATEST ? ['install', '--no-package-lock'] : ['ci']),
  '--prefer-offline',
  '--ignore-scripts',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
];
/** Reported by the latest run: locked version → latest resolved, in the e2e project. */
const DRIFT_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'express',
  'fastify',
  '@fastify/middie',
  'path-to-regexp',
  'hot-shots',
  'rxjs',
  'typescript',
  'jest',
  'ts-jest',
  '@swc/core',
  '@swc/jest',
];

const withoutNodeModules = (source) => !source.split(/[\\/]/).includes('node_modules');

function installedVersion(dir, name) {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? readJson(file).version : undefined;
}

/** The version of `name` that `fromPackage` (installed in dir) resolves, e.g. the adapter's express. */
function versionSeenBy(dir, fromPackage, name) {
  try {
    const from = createRequire(join(dir, 'node_modules', fromPackage, 'package.json'));
    return readJson(from.resolve(`${name}/package.json`)).version;
  } catch {
    return undefined;
  }
}

/** Runs `tasks` (functions returning promises) at most `limit` at a time. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

function tail(text, lines = 40) {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One cell of the matrix: pass or fail, a description, and how many checks (type-checked configs,
 * tests, apps) passed and failed in it; a failed cell counts at least one failed check.
 */
function cell(ok, detail, passed = ok ? 1 : 0, failed = 0) {
  return { ok, detail, passed, failed: ok ? failed : Math.max(failed, 1) };
}

function report(major, column, result, extra = '') {
  const state = result.ok ? 'pass' : 'FAIL';
  console.log(`compat: NestJS ${major} ${column}: ${state} ${result.detail}${extra}`);
}

async function typesStep(major, dir) {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const version = installedVersion(dir, 'typescript') ?? 'missing';
  const minimum = MAJORS[major].minTypeScript;
  if (minimum) {
    const [maj, min] = version.split('.').map(Number);
    if (!(maj > minimum[0] || (maj === minimum[0] && min >= minimum[1]))) {
      return cell(
        false,
        `TypeScript ${version} < ${minimum.join('.')}, which NestJS ${major}'s types need`,
      );
    }
  }
  const configs = ['tsconfig.build.json', 'tsconfig.build.esm.json'];
  let passed = 0;
  for (const config of configs) {
    const result = await run(
      `${major}-types-${config.replace(/\.json$/, '')}`,
      process.execPath,
      [tsc, '--noEmit', '-p', config],
      {
        cwd: dir,
        timeoutMs: TIMEOUT_MS.tsc,
      },
    );
    if (result.ok) passed++;
    else
      console.log(
        `compat: NestJS ${major} tsc -p ${config} failed (${result.reason}):\n${tail(result.output)}`,
      );
  }
  return cell(
    passed === configs.length,
    `${passed}/${configs.length} build configs (TypeScript ${version})`,
    passed,
    configs.length - passed,
  );
}

async function e2eStep(major, dir, specs) {
  if (specs.length === 0) return cell(false, `no spec in test/e2e matches ${E2E_GLOBS.join(', ')}`);
  const jsonFile = join(logDir, `${major}-e2e.json`);
  const result = await run(
    `${major}-e2e`,
    process.execPath,
    [
      join(dir, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      MAJORS[major].jest,
      '--selectProjects',
      'e2e',
      '--ci',
      '--json',
      '--outputFile',
      jsonFile,
      '--runTestsByPath',
      ...specs,
    ],
    { cwd: dir, timeoutMs: TIMEOUT_MS.jest, env: { ...childEnv, CI: 'true' } },
  );
  let counts;
  if (existsSync(jsonFile)) {
    const summary = readJson(jsonFile);
    counts = {
      passed: summary.numPassedTests,
      failed: summary.numFailedTests,
      total: summary.numTotalTests,
      suites: summary.numTotalTestSuites,
      failedSuites: summary.numFailedTestSuites,
    };
  }
  const ok =
    result.ok &&
    counts !== undefined &&
    counts.total > 0 &&
    counts.failed === 0 &&
    counts.failedSuites === 0;
  if (!ok)
    console.log(
      `compat: NestJS ${major} e2e failed (${result.reason ?? 'see counts'}):\n${tail(result.output, 80)}`,
    );
  const detail = counts
    ? `${counts.passed}/${counts.total} tests in ${counts.suites} files${counts.failedSuites ? `, ${counts.failedSuites} files failed` : ''}`
    : `no results (${result.reason})`;
  return cell(
    ok,
    `${detail}, ${seconds(result.ms)}`,
    counts?.passed ?? 0,
    (counts?.failed ?? 0) + (counts?.failedSuites ?? 0),
  );
}

async function smokeStep(major, dir, typescriptFrom) {
  const tsc = join(typescriptFrom, 'node_modules', 'typescript', 'bin', 'tsc');
  const compiled = await run(`${major}-smoke-tsc`, process.execPath, [tsc, '-p', 'tsconfig.json'], {
    cwd: dir,
    timeoutMs: TIMEOUT_MS.tsc,
  });
  if (!compiled.ok) {
    console.log(
      `compat: NestJS ${major} smoke consumers do not compile (${compiled.reason}):\n${tail(compiled.output)}`,
    );
    return cell(false, `0/${FORMATS.length * ADAPTERS.length} apps (compile failed)`);
  }
  let passed = 0;
  const failed = [];
  for (const format of FORMATS) {
    const file = join(dir, 'out', `http-consumer.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    const result = await run(`${major}-smoke-${format}`, process.execPath, [file], {
      cwd: dir,
      timeoutMs: TIMEOUT_MS.app,
    });
    const ran = ADAPTERS.filter((adapter) =>
      new RegExp(`^${format} ${adapter}: \\d+ requests measured$`, 'm').test(result.output),
    );
    passed += ran.length;
    for (const line of result.output.split('\n'))
      if (/^ {2}(cjs|esm) (express|fastify) \d+: /.test(line)) console.log(`  ${major}${line}`);
    if (!result.ok || ran.length !== ADAPTERS.length) {
      failed.push(format);
      console.log(
        `compat: NestJS ${major} ${format} consumer failed (${result.reason ?? 'missing lines'}):\n${tail(result.output)}`,
      );
    }
  }
  const total = FORMATS.length * ADAPTERS.length;
  return cell(
    failed.length === 0 && passed === total,
    `${passed}/${total} apps (${FORMATS.join('+')} x ${ADAPTERS.join('+')})`,
    passed,
    total - passed,
  );
}

function smokeProject(dir, sources, manifest) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), jsonText(manifest));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          types: ['node'],
          rootDir: '.',
          outDir: 'out',
        },
        files: ['http-consumer.cts', 'http-consumer.mts', 'http-checks.cts'],
      },
      null,
      2,
    )}\n`,
  );
  for (const file of ['http-consumer.cts', 'http-consumer.mts', 'http-checks.cts']) {
    cpSync(join(sources, 'test', 'compat', file), join(dir, file));
  }
}

function printMatrix(rows) {
  const header = ['NestJS', 'installed', 'types', 'e2e', 'smoke (packed tarball)'];
  const table = rows.map((row) => [
    row.major,
    row.versions,
    ...['types', 'e2e', 'smoke'].map((column) => {
      const result = row[column];
      return result ? `${result.ok ? 'pass' : 'FAIL'} ${result.detail}` : 'not run';
    }),
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...table.map((line) => line[index].length)),
  );
  const format = (line) =>
    line
      .map((text, index) => text.padEnd(widths[index]))
      .join('  ')
      .trimEnd();
  console.log(
    `\ncompat matrix (${MODE}, Node ${process.version}, ${seconds(Date.now() - started)}):`,
  );
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const line of table) console.log(format(line));
}

/** What differs between two manifests: fields, and packages added (+), removed (-), changed (~). */
function manifestDiff(committed, derived) {
  const keys = [...new Set([...Object.keys(committed), ...Object.keys(derived)])];
  return keys
    .filter((key) => !isDeepStrictEqual(committed[key], derived[key]))
    .map((key) => {
      const [was, now] = [committed[key] ?? {}, derived[key] ?? {}];
      if (!key.endsWith('ependencies')) return key;
      const names = [...new Set([...Object.keys(was), ...Object.keys(now)])];
      const changes = names
        .filter((name) => was[name] !== now[name])
        .map((name) =>
          was[name] === undefined
            ? `+${name}@${now[name]}`
            : now[name] === undefined
              ? `-${name}`
              : `~${name} ${was[name]} -> ${now[name]}`,
        );
      return `${key} ${changes.join(', ')}`;
    })
    .join('; ');
}

/**
 * Locked mode: copies the committed lockfile into the scratch project, or says why it cannot (none
 * committed, or committed for another manifest).
 */
function useLockfile(project, dir, base) {
  const committed = lockDir(project.major, project.kind, base);
  const where = relative(base, committed);
  const manifestFile = join(committed, 'package.json');
  const lockFile = join(committed, 'package-lock.json');
  if (!existsSync(manifestFile) || !existsSync(lockFile))
    return `no lockfile in ${where}: run \`npm run compat:lock\``;
  const recorded = readJson(manifestFile);
  if (!isDeepStrictEqual(recorded, project.locked)) {
    return `${where}/package.json is not the manifest compat derives from package.json and the selected specs (${manifestDiff(recorded, project.locked)}): run \`npm run compat:lock\``;
  }
  cpSync(lockFile, join(dir, 'package-lock.json'));
  return undefined;
}

/** Versions of `name` anywhere in a lockfile's `packages` map, e.g. "8.4.2, 9.0.0". */
function versionsIn(lock, name) {
  const versions = Object.entries(lock?.packages ?? {})
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([, entry]) => entry.version);
  return [...new Set(versions)].sort().join(', ') || '-';
}

/** The latest run's report: what each major's e2e project resolved against its committed lockfile. */
function printDrift(rows, base) {
  const lines = [];
  for (const row of rows) {
    const lockFile = join(lockDir(row.major, 'e2e', base), 'package-lock.json');
    const locked = existsSync(lockFile) ? readJson(lockFile) : undefined;
    // npm keeps what it installed in node_modules/.package-lock.json, also with --no-package-lock.
    const hidden = join(row.e2eDir, 'node_modules', '.package-lock.json');
    const latest = existsSync(hidden) ? readJson(hidden) : undefined;
    for (const name of DRIFT_PACKAGES) {
      const [was, now] = [versionsIn(locked, name), versionsIn(latest, name)];
      if (was === '-' && now === '-') continue;
      lines.push([row.major, name, was, now, was === now ? '' : 'changed']);
    }
  }
  const widths = [0, 1, 2].map((index) => Math.max(...lines.map((line) => line[index].length)));
  console.log('\ncompat drift (e2e projects; locked version -> latest resolved):');
  for (const [major, name, was, now, note] of lines) {
    const text = `  ${major.padEnd(widths[0])}  ${name.padEnd(widths[1])}  ${was.padEnd(widths[2])} -> ${now}  ${note}`;
    console.log(text.trimEnd());
  }
  const changed = lines.filter((line) => line[4]).length;
  console.log(
    `compat: ${changed} of ${lines.length} versions differ from the lockfiles (\`npm run compat:lock\` takes them)`,
  );
}

async function main() {
  console.log(
    `compat: NestJS ${majors.join(', ')}, ${MODE} (${LATEST ? 'newest versions in range, no lockfile' : `npm ci from ${LOCKFILES}`}), Node ${process.version}, in ${scratch} (budget ${seconds(BUDGET_MS)})`,
  );
  // One snapshot of the sources, so concurrent edits cannot mix into the run and the repo's own
  // dist/ is left alone: the package is built and packed there with the repo's node_modules.
  const snapshot = join(scratch, 'package');
  for (const entry of [...COPIED, 'scripts', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(root, entry)))
      cpSync(join(root, entry), join(snapshot, entry), {
        recursive: true,
        filter: withoutNodeModules,
      });
  }
  symlinkSync(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
  const selection = projects(majors, snapshot);
  const { specs } = selection;
  console.log(
    `compat: e2e specs (${E2E_GLOBS.join(', ')}): ${specs.map((spec) => relative('test/e2e', spec)).join(', ') || 'none'}`,
  );

  const build = await run('build', process.execPath, [join(snapshot, 'scripts', 'build.mjs')], {
    cwd: snapshot,
    timeoutMs: TIMEOUT_MS.build,
  });
  if (!build.ok) throw new Error(`build failed (${build.reason}):\n${tail(build.output)}`);
  const packed = await npm(
    'pack',
    ['pack', '--ignore-scripts', '--json', '--loglevel=error', '--pack-destination', scratch],
    snapshot,
    TIMEOUT_MS.pack,
  );
  if (!packed.ok) throw new Error(`npm pack failed (${packed.reason}):\n${tail(packed.output)}`);
  const [{ filename }] = JSON.parse(packed.stdout);
  const tarball = join(scratch, filename);
  console.log(`compat: built and packed ${filename}`);

  const rows = majors.map((major) => ({
    major,
    e2eDir: join(scratch, `nest${major}`, 'repo'),
    smokeDir: join(scratch, `nest${major}`, 'smoke'),
    versions: '?',
  }));
  const tasks = [];
  for (const row of rows) {
    for (const entry of COPIED) {
      cpSync(join(snapshot, entry), join(row.e2eDir, entry), {
        recursive: true,
        filter: withoutNodeModules,
      });
    }
    for (const project of selection.projects.filter(({ major }) => major === row.major)) {
      const { kind, manifest } = project;
      const dir = kind === 'e2e' ? row.e2eDir : row.smokeDir;
      // The e2e project keeps the repo's whole manifest (its tests run as the package); the
      // committed one has only what npm installs from, and `npm ci` checks the two agree.
      if (kind === 'e2e') writeFileSync(join(dir, 'package.json'), jsonText(manifest));
      else smokeProject(dir, snapshot, manifest);
      const stale = LATEST ? undefined : useLockfile(project, dir, snapshot);
      if (stale) {
        console.log(`compat: NestJS ${row.major} ${kind}: ${stale}`);
        row[`${kind}Install`] = { ok: false, stale: true, reason: stale, output: '' };
        continue;
      }
      tasks.push(async () => {
        let result = await npm(`${row.major}-install-${kind}`, INSTALL, dir, TIMEOUT_MS.install);
        if (result.ok && kind === 'smoke') {
          // The library goes in after the install, unpacked from the tarball as npm would lay it
          // out: as a dependency in the manifest (`file:` the tarball), the lockfile would record
          // the tarball's integrity, which changes with every build, so no committed lock could
          // match it; `npm install <tarball>` after `npm ci` would re-resolve the tree and rewrite
          // the lock. Its one dependency, hot-shots, is in the manifest (the range of our
          // package.json), so it is locked like everything else.
          const target = join(dir, 'node_modules', 'nestjs-statsd');
          mkdirSync(target, { recursive: true });
          result = await run(
            `${row.major}-unpack-smoke`,
            'tar',
            ['-xzf', tarball, '-C', target, '--strip-components=1'],
            { cwd: dir, timeoutMs: TIMEOUT_MS.pack },
          );
        }
        row[`${kind}Install`] = result;
      });
    }
  }
  const installStarted = Date.now();
  await pool(tasks, INSTALL_CONCURRENCY);
  console.log(
    `compat: installed ${tasks.length} scratch projects (${LATEST ? 'npm install' : 'npm ci'}) in ${seconds(Date.now() - installStarted)}`,
  );

  for (const row of rows) {
    const { major, e2eDir, smokeDir } = row;
    const core = installedVersion(e2eDir, '@nestjs/core');
    const express = versionSeenBy(e2eDir, '@nestjs/platform-express', 'express');
    const fastify = versionSeenBy(e2eDir, '@nestjs/platform-fastify', 'fastify');
    row.versions = `core ${core ?? '-'}, express ${express ?? '-'}, fastify ${fastify ?? '-'}`;
    const installFailed = (result) =>
      result.stale
        ? cell(false, 'lockfile out of date, run `npm run compat:lock`')
        : cell(false, `install failed (${result.reason}), see ${result.logFile}`);
    if (!row.e2eInstall.ok || core === undefined || !core.startsWith(`${major}.`)) {
      row.types = row.e2e = installFailed(row.e2eInstall);
      if (!row.e2eInstall.stale)
        console.log(`compat: NestJS ${major} install failed:\n${tail(row.e2eInstall.output)}`);
    } else {
      row.types = await typesStep(major, e2eDir);
      report(major, 'types', row.types);
      row.e2e = await e2eStep(major, e2eDir, specs);
      report(major, 'e2e', row.e2e);
    }
    const smokeCore = installedVersion(smokeDir, '@nestjs/core');
    if (!row.smokeInstall.ok || smokeCore === undefined || !smokeCore.startsWith(`${major}.`)) {
      row.smoke = installFailed(row.smokeInstall);
      if (!row.smokeInstall.stale)
        console.log(
          `compat: NestJS ${major} smoke install failed:\n${tail(row.smokeInstall.output)}`,
        );
    } else {
      // The repo's own TypeScript compiles the consumers (NestJS 12's types need 5.8 or later).
      row.smoke = await smokeStep(major, smokeDir, root);
      report(major, 'smoke', row.smoke, ` (core ${smokeCore})`);
    }
  }

  if (LATEST) printDrift(rows, snapshot);
  printMatrix(rows);
  const cells = rows.flatMap((row) => [row.types, row.e2e, row.smoke]);
  const failedCells = cells.filter((result) => !result.ok).length;
  console.log(`compat: ${cells.length - failedCells} of ${cells.length} matrix cells passed`);
  // Checks: type-checked build configs, e2e tests and smoke apps, across all majors.
  const sum = (key) => cells.reduce((total, result) => total + result[key], 0);
  console.log(`compat: ${sum('passed')} passed, ${sum('failed')} failed`);
  return failedCells === 0;
}

let passed = false;
try {
  passed = await main();
} catch (error) {
  console.error(`compat: FAILED\n${error instanceof Error ? error.message : error}`);
} finally {
  for (const pid of running) killGroup(pid, 'SIGKILL');
  if (passed && !process.env.COMPAT_KEEP) {
    const cleaning = Date.now();
    rmSync(scratch, { recursive: true, force: true });
    console.log(
      `compat: scratch removed in ${seconds(Date.now() - cleaning)}; total ${seconds(Date.now() - started)}`,
    );
  } else {
    console.log(`compat: scratch and logs kept in ${scratch}`);
  }
  process.exitCode = passed ? 0 : 1;
}
