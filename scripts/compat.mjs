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
// Every child command has a timeout and the whole run a budget; prints a matrix and exits non-zero
// on any failure. Installs prefer npm's cache and skip install scripts (hot-shots' optional
// unix-dgram is not built, so the selected specs must not need UDS).
//
// Environment: COMPAT_MAJORS=10,12 picks majors; COMPAT_E2E='http-*,testing*' replaces the spec
// globs (names under test/e2e, with or without `.e2e-spec.ts`); COMPAT_BUDGET_MS (default 14 min);
// COMPAT_KEEP=1 keeps the scratch dir and its logs/ (always kept when something failed).
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What differs per major. `jest` names the Jest config used in the scratch copy. */
const MAJORS = {
  10: { range: '^10.4.0', jest: 'jest.config.js' },
  11: { range: '^11.0.0', jest: 'jest.config.js' },
  12: {
    range: '^12.0.0',
    jest: 'test/compat/jest.nest12.config.js',
    swc: true,
    minTypeScript: [5, 8],
  },
};
const NEST_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/testing',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
];
/**
 * Other @nestjs devDependencies are installed only when the selected specs (or what they import)
 * use them: those released with Nest itself at the same major, the rest at the line for the major.
 */
const NEST_MONOREPO = new Set([
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-ws',
  '@nestjs/platform-socket.io',
]);
const NEST_EXTRAS = {
  '@nestjs/event-emitter': { 10: '^2.0.0', 11: '^3.0.0', 12: '^12.0.0' },
  '@nestjs/swagger': { 10: '^7.0.0', 11: '^11.0.0', 12: '^12.0.0' },
};
const SWC_PACKAGES = { '@swc/core': '^1.15.0', '@swc/jest': '^0.2.39' };
/** devDependencies every run needs; the others are installed only when the selected specs import them. */
const RUNNER = new Set([
  'jest',
  'ts-jest',
  'typescript',
  'reflect-metadata',
  'rxjs',
  '@types/node',
  '@types/jest',
]);
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

// Not fastify-entry: Fastify's inject() loads light-my-request, whose ESM-only `cookie` Jest's CommonJS
// runtime cannot load in the Nest 12 install (the main suite runs it).
const E2E_GLOBS = (process.env.COMPAT_E2E ?? 'http-*,middleware-*,measure*,service*,statsd-service*,testing*')
  .split(',')
  .map((glob) => glob.trim())
  .filter(Boolean);
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
const selectedMajors = (process.env.COMPAT_MAJORS ?? Object.keys(MAJORS).join(','))
  .split(',')
  .map((major) => major.trim())
  .filter(Boolean);
for (const major of selectedMajors) {
  if (!(major in MAJORS))
    throw new Error(`compat: unknown NestJS major "${major}" in COMPAT_MAJORS`);
}

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

const INSTALL_FLAGS = [
  '--prefer-offline',
  '--ignore-scripts',
  '--no-package-lock',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
];

const withoutNodeModules = (source) => !source.split(/[\\/]/).includes('node_modules');

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

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

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire(?:\.resolve)?\s*\(\s*)['"]([^'"\n]+)['"]/g;

/** The file a relative import names: `x.ts`, `x/index.ts`, or the path itself. */
function resolveLocal(fromFile, specifier) {
  const target = resolve(dirname(fromFile), specifier);
  const candidates = [
    target,
    `${target}.ts`,
    join(target, 'index.ts'),
    target.replace(/\.js$/, '.ts'),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/**
 * Package names imported (`from`, `import()`, `require()`, `require.resolve()`) by the given
 * files and by every local file they import, followed transitively.
 */
function importedPackages(entryFiles) {
  const names = new Set();
  const seen = new Set();
  const queue = [...entryFiles];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (specifier.startsWith('.')) {
        const local = resolveLocal(file, specifier);
        if (local !== undefined && /\.[cm]?[jt]s$/.test(local)) queue.push(local);
        continue;
      }
      if (specifier.startsWith('node:') || specifier.startsWith('/')) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return names;
}

/** The repo's package.json with this major's Nest packages and only what tests need. */
function scratchManifest(major, imported, base) {
  const manifest = readJson(join(base, 'package.json'));
  const { range, swc } = MAJORS[major];
  const devDependencies = {};
  const needed = (name) =>
    RUNNER.has(name) ||
    imported.has(name) ||
    (name.startsWith('@types/') && imported.has(name.slice('@types/'.length)));
  for (const [name, version] of Object.entries(manifest.devDependencies ?? {})) {
    if (!needed(name) || NEST_PACKAGES.includes(name)) continue;
    if (swc && name === 'ts-jest') continue;
    if (name.startsWith('@nestjs/')) {
      const forMajor = NEST_MONOREPO.has(name) ? range : NEST_EXTRAS[name]?.[major];
      if (forMajor === undefined) {
        throw new Error(
          `compat: the e2e specs import ${name}; add its NestJS ${major} range to NEST_EXTRAS`,
        );
      }
      devDependencies[name] = forMajor;
      continue;
    }
    devDependencies[name] = version;
  }
  for (const name of NEST_PACKAGES) devDependencies[name] = range;
  if (swc) Object.assign(devDependencies, SWC_PACKAGES);
  delete manifest.scripts;
  return { ...manifest, devDependencies };
}

/** Spec files under test/e2e whose names match one of the globs (`*` only). */
function selectedSpecs(base) {
  const patterns = E2E_GLOBS.map(
    (glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  );
  const e2eDir = join(base, 'test', 'e2e');
  return readdirSync(e2eDir)
    .filter((name) => name.endsWith('.e2e-spec.ts'))
    .filter((name) =>
      patterns.some(
        (pattern) => pattern.test(name) || pattern.test(name.replace(/\.e2e-spec\.ts$/, '')),
      ),
    )
    .sort()
    .map((name) => join('test', 'e2e', name));
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

function smokeProject(dir, sources) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'nestjs-statsd-compat-smoke', private: true, type: 'commonjs' }, null, 2)}\n`,
  );
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
  console.log(`\ncompat matrix (Node ${process.version}, ${seconds(Date.now() - started)}):`);
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const line of table) console.log(format(line));
}

async function main() {
  console.log(
    `compat: NestJS ${selectedMajors.join(', ')} in ${scratch} (budget ${seconds(BUDGET_MS)})`,
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
  const specs = selectedSpecs(snapshot);
  console.log(
    `compat: e2e specs (${E2E_GLOBS.join(', ')}): ${specs.map((spec) => relative('test/e2e', spec)).join(', ') || 'none'}`,
  );
  const imported = importedPackages(
    [
      ...specs,
      'test/utils/global-setup.ts',
      'test/utils/global-teardown.ts',
      'lib/index.ts',
      'lib/testing.ts',
    ]
      .map((file) => join(snapshot, file))
      .filter((file) => existsSync(file)),
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

  const rows = selectedMajors.map((major) => ({
    major,
    e2eDir: join(scratch, `nest${major}`, 'repo'),
    smokeDir: join(scratch, `nest${major}`, 'smoke'),
    versions: '?',
  }));
  const repoTypes = installedVersion(root, '@types/node');
  const tasks = [];
  for (const row of rows) {
    for (const entry of COPIED) {
      cpSync(join(snapshot, entry), join(row.e2eDir, entry), {
        recursive: true,
        filter: withoutNodeModules,
      });
    }
    writeFileSync(
      join(row.e2eDir, 'package.json'),
      `${JSON.stringify(scratchManifest(row.major, imported, snapshot), null, 2)}\n`,
    );
    smokeProject(row.smokeDir, snapshot);
    const { range } = MAJORS[row.major];
    const smokeDependencies = [
      tarball,
      ...[
        '@nestjs/common',
        '@nestjs/core',
        '@nestjs/platform-express',
        '@nestjs/platform-fastify',
      ].map((name) => `${name}@${range}`),
      'reflect-metadata@^0.2.0',
      'rxjs@^7.1.0',
      `@types/node@${repoTypes ?? '^20.19.0'}`,
    ];
    tasks.push(async () => {
      row.install = await npm(
        `${row.major}-install-repo`,
        ['install', ...INSTALL_FLAGS],
        row.e2eDir,
        TIMEOUT_MS.install,
      );
    });
    tasks.push(async () => {
      row.smokeInstall = await npm(
        `${row.major}-install-smoke`,
        ['install', ...smokeDependencies, ...INSTALL_FLAGS],
        row.smokeDir,
        TIMEOUT_MS.install,
      );
    });
  }
  const installStarted = Date.now();
  await pool(tasks, INSTALL_CONCURRENCY);
  console.log(
    `compat: installed ${tasks.length} scratch projects in ${seconds(Date.now() - installStarted)}`,
  );

  for (const row of rows) {
    const { major, e2eDir, smokeDir } = row;
    const core = installedVersion(e2eDir, '@nestjs/core');
    const express = versionSeenBy(e2eDir, '@nestjs/platform-express', 'express');
    const fastify = versionSeenBy(e2eDir, '@nestjs/platform-fastify', 'fastify');
    row.versions = `core ${core ?? '-'}, express ${express ?? '-'}, fastify ${fastify ?? '-'}`;
    const installFailed = (result) =>
      cell(false, `install failed (${result.reason}), see ${result.logFile}`);
    if (!row.install.ok || core === undefined || !core.startsWith(`${major}.`)) {
      row.types = row.e2e = installFailed(row.install);
      console.log(`compat: NestJS ${major} install failed:\n${tail(row.install.output)}`);
    } else {
      row.types = await typesStep(major, e2eDir);
      report(major, 'types', row.types);
      row.e2e = await e2eStep(major, e2eDir, specs);
      report(major, 'e2e', row.e2e);
    }
    const smokeCore = installedVersion(smokeDir, '@nestjs/core');
    if (!row.smokeInstall.ok || smokeCore === undefined || !smokeCore.startsWith(`${major}.`)) {
      row.smoke = installFailed(row.smokeInstall);
      console.log(
        `compat: NestJS ${major} smoke install failed:\n${tail(row.smokeInstall.output)}`,
      );
    } else {
      // The repo's own TypeScript compiles the consumers (NestJS 12's types need 5.8 or later).
      row.smoke = await smokeStep(major, smokeDir, root);
      report(major, 'smoke', row.smoke, ` (core ${smokeCore})`);
    }
  }

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
