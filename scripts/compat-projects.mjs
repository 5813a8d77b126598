// What each scratch project of `npm run compat` installs, and where its committed lockfile lives.
// Shared by scripts/compat.mjs (which installs them) and scripts/compat-lock.mjs (which writes the
// lockfiles under test/compat/lockfiles/nest<major>/{e2e,smoke}/).
//
// Two projects per NestJS major:
//   e2e    the repo's package.json with this major's Nest packages and only the devDependencies the
//          selected e2e specs (and what they import) need;
//   smoke  a bare app: this major's Nest runtime packages, their peers, and the library's own
//          `dependencies`. The library itself is not in the manifest: compat unpacks the freshly
//          packed tarball into node_modules/nestjs-statsd after installing (see compat.mjs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCKFILES = join('test', 'compat', 'lockfiles');

/** What differs per major. `jest` names the Jest config used in the scratch copy. */
export const MAJORS = {
  10: { range: '^10.4.0', jest: 'jest.config.js' },
  11: { range: '^11.0.0', jest: 'jest.config.js' },
  12: {
    range: '^12.0.0',
    jest: 'test/compat/jest.nest12.config.js',
    swc: true,
    minTypeScript: [5, 8],
  },
};
export const KINDS = ['e2e', 'smoke'];
const NEST_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/testing',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
];
/** The Nest packages a user's app installs; the smoke project has these and no test tooling. */
const NEST_RUNTIME = NEST_PACKAGES.filter((name) => name !== '@nestjs/testing');
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
/** The package.json fields npm builds the tree from: the committed manifest keeps only these. */
const INSTALL_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'overrides',
];

// Not fastify-entry: Fastify's inject() loads light-my-request, whose ESM-only `cookie` Jest's CommonJS
// runtime cannot load in the Nest 12 install (the main suite runs it).
export const E2E_GLOBS = (
  process.env.COMPAT_E2E ?? 'http-*,middleware-*,measure*,service*,statsd-service*,testing*'
)
  .split(',')
  .map((glob) => glob.trim())
  .filter(Boolean);

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const jsonText = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The folder holding one project's committed package.json and package-lock.json. */
export const lockDir = (major, kind, base = root) => join(base, LOCKFILES, `nest${major}`, kind);

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

/** Spec files under test/e2e whose names match one of the globs (`*` only). */
export function selectedSpecs(base) {
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

/** The packages the e2e run imports: the specs, Jest's global setup/teardown, and lib/. */
export function e2eImports(base, specs) {
  return importedPackages(
    [
      ...specs,
      'test/utils/global-setup.ts',
      'test/utils/global-teardown.ts',
      'lib/index.ts',
      'lib/testing.ts',
    ]
      .map((file) => join(base, file))
      .filter((file) => existsSync(file)),
  );
}

/** The repo's package.json with this major's Nest packages and only what tests need. */
export function scratchManifest(major, imported, base) {
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

/** The smoke app: this major's Nest runtime, its peers, the library's dependencies (hot-shots). */
export function smokeManifest(major, base) {
  const library = readJson(join(base, 'package.json'));
  const { range } = MAJORS[major];
  return {
    name: `nestjs-statsd-compat-nest${major}-smoke`,
    private: true,
    type: 'commonjs',
    dependencies: {
      ...Object.fromEntries(NEST_RUNTIME.map((name) => [name, range])),
      'reflect-metadata': '^0.2.0',
      rxjs: '^7.1.0',
      '@types/node': library.devDependencies?.['@types/node'] ?? '^20.19.0',
      ...library.dependencies,
    },
  };
}

/**
 * The manifest committed beside a lockfile: for e2e only the fields npm installs from, under a name
 * of its own (Jest's module map would otherwise see two packages named `nestjs-statsd`).
 */
export function lockedManifest(major, kind, manifest) {
  if (kind === 'smoke') return manifest;
  const fields = INSTALL_FIELDS.filter((field) => manifest[field] !== undefined);
  return {
    name: `nestjs-statsd-compat-nest${major}-e2e`,
    private: true,
    ...Object.fromEntries(fields.map((field) => [field, manifest[field]])),
  };
}

/** Every selected major's two projects: the manifest the scratch copy gets and the one to lock. */
export function projects(majors, base) {
  const specs = selectedSpecs(base);
  const imported = e2eImports(base, specs);
  return {
    specs,
    projects: majors.flatMap((major) =>
      KINDS.map((kind) => {
        const manifest =
          kind === 'e2e' ? scratchManifest(major, imported, base) : smokeManifest(major, base);
        return { major, kind, manifest, locked: lockedManifest(major, kind, manifest) };
      }),
    ),
  };
}

/** The majors named by COMPAT_MAJORS (all by default). */
export function selectedMajors() {
  const majors = (process.env.COMPAT_MAJORS ?? Object.keys(MAJORS).join(','))
    .split(',')
    .map((major) => major.trim())
    .filter(Boolean);
  for (const major of majors) {
    if (!(major in MAJORS))
      throw new Error(`compat: unknown NestJS major "${major}" in COMPAT_MAJORS`);
  }
  return majors;
}
