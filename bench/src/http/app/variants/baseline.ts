import type { VariantSetup } from '../variant.types';

/** No instrumentation at all: the reference every ratio is taken against. */
export function setup(): VariantSetup {
  return { wirePerRequest: [] };
}
