// Builds the package: dist/cjs (CommonJS) and dist/esm (ES modules), each with declarations and
// source maps. lib/ uses extension-less relative imports, which Node's ESM loader rejects, so the
// ESM output is compiled with bundler resolution and its relative specifiers are then rewritten
// to the files tsc actually wrote (`./x` -> `./x.js`, `./dir` -> `./dir/index.js`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const builds = [
  { project: 'tsconfig.build.json', outDir: join(dist, 'cjs'), type: 'commonjs' },
  { project: 'tsconfig.build.esm.json', outDir: join(dist, 'esm'), type: 'module' },
];

function tsc(project) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [tscBin, '-p', join(root, project)], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      code === 0
        ? done()
        : fail(new Error(`tsc -p ${project} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const isFile = (path) => existsSync(path) && statSync(path).isFile();

/** The ESM-valid form of a relative specifier, or undefined when it already is one. */
function fullySpecified(fromFile, specifier) {
  const target = resolve(dirname(fromFile), specifier);
  if (isFile(target)) return undefined;
  if (isFile(`${target}.js`) || isFile(`${target}.d.ts`)) return `${specifier}.js`;
  if (isFile(join(target, 'index.js')) || isFile(join(target, 'index.d.ts'))) {
    return `${specifier.replace(/\/$/, '')}/index.js`;
  }
  throw new Error(
    `${relative(root, fromFile)}: cannot resolve relative import "${specifier}" in the ESM build`,
  );
}

// `from '…'`, `import '…'`, `import('…')` and, in declarations, `import("…")` types.
const relativeSpecifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?(?:\/[^'"\n]*)?)\2/g;

function rewriteEsmSpecifiers(esmDir) {
  let rewritten = 0;
  for (const file of walk(esmDir)) {
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    const source = readFileSync(file, 'utf8');
    const output = source.replace(relativeSpecifier, (match, lead, quote, specifier) => {
      const fixed = fullySpecified(file, specifier);
      if (fixed === undefined) return match;
      rewritten++;
      return `${lead}${quote}${fixed}${quote}`;
    });
    if (output !== source) writeFileSync(file, output);
  }
  return rewritten;
}

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
await Promise.all(builds.map(({ project }) => tsc(project)));
const rewritten = rewriteEsmSpecifiers(join(dist, 'esm'));
for (const { outDir, type } of builds) {
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
console.log(
  `built dist/cjs and dist/esm in ${Date.now() - started} ms (${rewritten} ESM specifiers made explicit)`,
);
