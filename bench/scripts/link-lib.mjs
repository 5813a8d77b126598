// Makes the repo's own build (../dist/cjs) importable as `nestjs-statsd` from bench/.
//
// A copy, not `file:..` or a symlink, so that every import resolves from bench/node_modules: one
// Nest, one hot-shots (copy-build.mjs says why).
//
// When the lib is not built yet, a stub with the public API's types (docs/ARCHITECTURE.md) is
// installed instead so the bench still compiles; its runtime throws, and the runner skips the
// nestjs-statsd variants with a note.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchDir, copyBuildAsPackage, emptyPackageDir } from './copy-build.mjs';

const repoDir = resolve(benchDir, '..');
const source = join(repoDir, 'dist', 'cjs');
const rootPkg = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8'));

if (existsSync(join(source, 'index.js'))) {
  copyBuildAsPackage(source, 'nestjs-statsd', {
    version: rootPkg.version,
    types: './dist/cjs/index.d.ts',
  });
  console.log(`link-lib: nestjs-statsd ${rootPkg.version} copied from ${source}`);
} else {
  cpSync(join(benchDir, 'scripts', 'lib-stub'), emptyPackageDir('nestjs-statsd'), {
    recursive: true,
  });
  console.warn(
    `link-lib: ${source}/index.js not found (run \`npm run build\` at the repo root);` +
      ' installed a typed stub: the nestjs-statsd variants will be skipped.',
  );
}
