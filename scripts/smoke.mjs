// Package smoke test: builds and packs the library as npm would publish it, installs the tarball into a
// scratch CommonJS project and a scratch ES module project (in the OS temp dir), type-checks and
// compiles a small TypeScript consumer in each (module: nodenext), then runs it: every public
// export is there, resolved from the right build, and a module using it starts and closes.
//
// Peer dependencies are installed at the versions this repo uses, preferring npm's cache (filled by
// `npm ci`), so a warm run needs no network. Install scripts are skipped: hot-shots' optional
// unix-dgram is not needed here. Set SMOKE_KEEP=1 to keep the scratch projects.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const smokeSources = join(root, 'test', 'smoke');
const requireFromRoot = createRequire(join(root, 'package.json'));
const tscBin = requireFromRoot.resolve('typescript/bin/tsc');

const COMMAND_TIMEOUT_MS = 120_000;

// Run npm as a fresh top-level command: drop what `npm run` put in the environment for scripts.
const npmCli = process.env.npm_execpath;
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
);

function run(file, args, cwd) {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd, env: childEnv, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return done(stdout);
        const reason = error.killed ? `timed out after ${COMMAND_TIMEOUT_MS} ms` : error.message;
        fail(new Error(`${[file, ...args].join(' ')} (in ${cwd}): ${reason}\n${stdout}${stderr}`));
      },
    );
  });
}

const npm = (args, cwd) =>
  npmCli && /\.[cm]?js$/.test(npmCli)
    ? run(process.execPath, [npmCli, ...args], cwd)
    : run('npm', args, cwd);

function installedVersion(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const consumers = {
  cjs: { type: 'commonjs', source: 'consumer.cts', output: 'consumer.cjs' },
  esm: { type: 'module', source: 'consumer.mts', output: 'consumer.mjs' },
};

async function smoke(format, tarball, dependencies, scratch) {
  const { type, source, output } = consumers[format];
  const dir = join(scratch, format);
  const started = Date.now();
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `nestjs-statsd-smoke-${format}`, private: true, type }, null, 2)}\n`,
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
          types: ['node'],
          rootDir: '.',
          outDir: 'out',
        },
        files: [source, 'checks.cts'],
      },
      null,
      2,
    )}\n`,
  );
  for (const file of [source, 'checks.cts'])
    copyFileSync(join(smokeSources, file), join(dir, file));

  await npm(
    [
      'install',
      tarball,
      ...dependencies,
      '--prefer-offline',
      '--ignore-scripts',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    dir,
  );
  await run(process.execPath, [tscBin, '-p', join(dir, 'tsconfig.json')], dir);
  const stdout = await run(process.execPath, [join(dir, 'out', output)], dir);
  process.stdout.write(`  ${stdout.trim()} (${Date.now() - started} ms)\n`);
}

async function main() {
  const started = Date.now();
  // Always from the current sources: a stale dist/ would test an old package.
  await run(process.execPath, [join(root, 'scripts/build.mjs')], root);
  const scratch = mkdtempSync(join(tmpdir(), 'nestjs-statsd-smoke-'));
  let passed = false;
  try {
    const [packed] = JSON.parse(
      await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root),
    );
    const tarball = join(scratch, packed.filename);
    console.log(`smoke: packed ${packed.filename} (${packed.entryCount} files) into ${scratch}`);
    const dependencies = [
      '@nestjs/common',
      '@nestjs/core',
      'reflect-metadata',
      'rxjs',
      '@types/node',
    ].map((name) => `${name}@${installedVersion(name)}`);
    await Promise.all(
      Object.keys(consumers).map((format) => smoke(format, tarball, dependencies, scratch)),
    );
    passed = true;
    console.log(`smoke: CJS and ESM consumers passed in ${Date.now() - started} ms`);
  } finally {
    if (passed && !process.env.SMOKE_KEEP) rmSync(scratch, { recursive: true, force: true });
    else console.log(`smoke: scratch projects kept in ${scratch}`);
  }
}

main().catch((error) => {
  console.error(`smoke: FAILED\n${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
