'use strict';
// Placeholder installed by bench/scripts/link-lib.mjs when ../dist/cjs is not built.
throw new Error(
  'nestjs-statsd is not built: run `npm run build` at the repo root, then `npm run build` in bench/.',
);
