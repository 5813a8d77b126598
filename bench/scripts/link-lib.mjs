// Makes the repo's own build (../dist/cjs) importable as `nestjs-statsd` from bench/.
//
// Why a copy and not `file:..` or a symlink: Node resolves a package's imports from its real
// path, so a symlinked lib would load `@nestjs/common` and `@nestjs/core` from the root
// node_modules while the bench apps load them from bench/node_modules. Two copies of Nest's
// classes (HttpAdapterHost, Reflector, ...) break dependency injection. A copy inside
// bench/node_modules resolves every import from bench/node_modules: one Nest, one hot-shots.
//
// When the lib is not built yet, a stub with the public API's types (docs/ARCHITECTURE.md) is
// installed instead so the bench still compiles; its runtime throws, and the runner skips the
// nestjs-statsd variants with a note.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(benchDir, '..');
const source = join(repoDir, 'dist', 'cjs');
const target = join(benchDir, 'node_modules', 'nestjs-statsd');
const rootPkg = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8'));

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });

if (existsSync(join(source, 'index.js'))) {
  cpSync(source, join(target, 'dist', 'cjs'), { recursive: true });
  writeFileSync(
    join(target, 'package.json'),
    JSON.stringify(
      {
        name: 'nestjs-statsd',
        version: rootPkg.version,
        main: './dist/cjs/index.js',
        types: './dist/cjs/index.d.ts',
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`link-lib: nestjs-statsd ${rootPkg.version} copied from ${source}`);
} else {
  cpSync(join(benchDir, 'scripts', 'lib-stub'), target, { recursive: true });
  console.warn(
    `link-lib: ${source}/index.js not found (run \`npm run build\` at the repo root);` +
      ' installed a typed stub: the nestjs-statsd variants will be skipped.',
  );
}
