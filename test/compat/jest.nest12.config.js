// @ts-check
/**
 * The repo's Jest config for NestJS 12 on Node 20, used by `npm run compat` in its scratch copy.
 *
 * Every `@nestjs/*` 12.x package is ESM-only. Jest on Node < 24.9 cannot `require()` an ES module,
 * and ts-jest cannot turn Nest's own files into CommonJS (TypeScript leaves `import.meta.url` in
 * CJS output). So @swc/jest compiles both our TypeScript and Nest's JavaScript to CommonJS, and
 * `transformIgnorePatterns` lets it into `node_modules/@nestjs`. swc must emit decorator metadata,
 * or Nest cannot see constructor parameter types and injection fails.
 *
 * path-to-regexp is let in too: from 9.0 it is ESM-only, and fastify 5's `@fastify/middie` (which
 * @nestjs/platform-fastify uses for middleware) carries its own copy in
 * `node_modules/@fastify/middie/node_modules/path-to-regexp`. A pattern must judge a file by its
 * innermost package: `/node_modules/(?!(@nestjs|path-to-regexp)/)` would already match at
 * `/node_modules/@fastify/` and leave that copy untransformed. So the pattern matches only the
 * last `/node_modules/` of a path (no other follows it), when what follows it is not allowed.
 */
/** Packages Jest must compile to CommonJS wherever they sit in node_modules. */
const esmOnly = ['@nestjs', 'path-to-regexp'];
const base = require('../../jest.config.js');

/** @param {'typescript' | 'ecmascript'} syntax */
function swc(syntax) {
  return [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser:
          syntax === 'typescript'
            ? { syntax: 'typescript', decorators: true }
            : { syntax: 'ecmascript' },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ];
}

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  projects: (base.projects ?? []).map((project) =>
    typeof project === 'string'
      ? project
      : {
          ...project,
          transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.m?js$': swc('ecmascript') },
          transformIgnorePatterns: [
            `/node_modules/(?!.*/node_modules/)(?!(${esmOnly.join('|')})/)`,
          ],
        },
  ),
};
