import type { TagPairs } from '../runtime/statsd-runtime';

/**
 * Metadata keys written by `@MessagePattern()` / `@EventPattern()` of `@nestjs/microservices`
 * (its `constants`), repeated here because that package is not a dependency of this library.
 */
const PATTERN_METADATA = 'microservices:pattern';
const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
/** `PatternHandler.EVENT` of `@nestjs/microservices`; `MESSAGE` is 1. */
const EVENT_HANDLER = 2;

/**
 * Tags of a microservice handler, read once per handler from its decorators: `controller`,
 * `handler`, `pattern` (strings as they are, other patterns as JSON with sorted keys, several
 * patterns as a JSON array) and `kind` (`message` for `@MessagePattern`, `event` for
 * `@EventPattern`). Values are sanitized for the wire later, like every tag.
 */
export function rpcHandlerTags(controller: { name: string }, handler: Function): TagPairs {
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, handler);
  const kind =
    Reflect.getMetadata(PATTERN_HANDLER_METADATA, handler) === EVENT_HANDLER ? 'event' : 'message';
  return [
    ['controller', controller.name || 'anonymous'],
    ['handler', handler.name || 'anonymous'],
    ['pattern', describePatterns(patterns)],
    ['kind', kind],
  ];
}

/** One text for the pattern list a handler was declared with. */
export function describePatterns(patterns: unknown): string {
  if (!Array.isArray(patterns) || patterns.length === 0)
    return patterns === undefined ? 'unknown' : describePattern(patterns);
  if (patterns.length === 1) return describePattern(patterns[0]);
  return `[${patterns.map((pattern) => stableJson(pattern)).join(',')}]`;
}

function describePattern(pattern: unknown): string {
  return typeof pattern === 'string' ? pattern : stableJson(pattern);
}

/** JSON with object keys sorted, so `{ b, a }` and `{ a, b }` name the same series (Nest matches them alike). */
function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, member: unknown) => {
      if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(member).sort())
        sorted[key] = (member as Record<string, unknown>)[key];
      return sorted;
    }) ?? String(value)
  );
}
