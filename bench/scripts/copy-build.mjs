// Installs a build of the library into bench/node_modules as a package of its own. A copy and not
// a symlink or `file:..`: Node resolves a package's imports from its real path, so a linked build
// would load `@nestjs/*` from the repo's node_modules while the bench apps load them from
// bench/node_modules, and two copies of Nest's classes break dependency injection.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where package `name` lives for the bench; emptied. */
export function emptyPackageDir(name) {
  const target = join(benchDir, 'node_modules', name);
  rmSync(target, { recursive: true, force: true });
  return target;
}

/**
 * Copies `source` (a build's dist/cjs) as package `name`, whose package.json also holds `fields`.
 */
export function copyBuildAsPackage(source, name, fields) {
  const target = emptyPackageDir(name);
  cpSync(source, join(target, 'dist', 'cjs'), { recursive: true });
  const pkg = { name, main: './dist/cjs/index.js', ...fields };
  writeFileSync(join(target, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}
