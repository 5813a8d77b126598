/** Shared by the CommonJS and ES module consumers of the packed package. */

/** `true` when T collapsed to `any`, which is what a broken declaration import looks like. */
export type IsAny<T> = 0 extends 1 & T ? true : false;

export const publicExports = [
  'StatsdModule',
  'StatsdService',
  'StatsdInterceptor',
  'Measure',
  'SkipMetrics',
] as const;

/** Throws unless `api` has every public export and was loaded from the build for `format`. */
export function checkPackage(format: 'cjs' | 'esm', api: object, entryFile: string): void {
  const exported = api as Record<string, unknown>;
  const missing = publicExports.filter((name) => typeof exported[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`${format}: nestjs-statsd does not export ${missing.join(', ')}`);
  }
  const expectedEntry = `/node_modules/nestjs-statsd/dist/${format}/index.js`;
  if (!entryFile.replace(/\\/g, '/').endsWith(expectedEntry)) {
    throw new Error(
      `${format}: nestjs-statsd resolved to ${entryFile}, expected …${expectedEntry}`,
    );
  }
}
