import type { OriginOptions } from '../origin/origin-detection';
import type { OriginDetectionOptions } from './statsd-options.interface';
import {
  ensureBoolean,
  ensureKnownKeys,
  ensureNonEmptyString,
  ensurePlainObject,
} from './validators';
import { invalidOption } from '../statsd.messages';

const PARTS = new Set(['entityId', 'containerId', 'externalEnv']);

/**
 * Validates `originDetection`. The environment is read later, by the detection itself
 * (`DD_ORIGIN_DETECTION_ENABLED`, `DD_ENTITY_ID`, `DD_EXTERNAL_ENV`), as Datadog's clients do.
 */
export function resolveOriginDetection(value: unknown): OriginOptions {
  if (value === undefined || value === true) {
    return { entityId: true, containerId: true, externalEnv: true };
  }
  if (value === false) return { entityId: false, containerId: false, externalEnv: false };
  const parts = ensurePlainObject('originDetection', value) as OriginDetectionOptions &
    Record<string, unknown>;
  ensureKnownKeys('originDetection', parts, PARTS);
  const containerId = parts.containerId ?? true;
  return {
    entityId: ensureBoolean('originDetection.entityId', parts.entityId ?? true),
    containerId:
      typeof containerId === 'string'
        ? ensureContainerId(containerId)
        : ensureBoolean('originDetection.containerId', containerId),
    externalEnv: ensureBoolean('originDetection.externalEnv', parts.externalEnv ?? true),
  };
}

/** A given container ID goes on the wire as is, so it may not hold what separates fields or lines. */
function ensureContainerId(value: string): string {
  const id = ensureNonEmptyString('originDetection.containerId', value);
  if (!/^[A-Za-z0-9_.:-]+$/.test(id)) {
    throw new Error(
      invalidOption(
        'originDetection.containerId',
        'a boolean or an ID made of letters, digits, "_", ".", ":" and "-"',
        value,
      ),
    );
  }
  return id;
}
