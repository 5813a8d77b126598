import type { TagPairs } from '../runtime/statsd-runtime';

/**
 * Metadata key written by `@SubscribeMessage()` of `@nestjs/websockets` (its `MESSAGE_METADATA`),
 * repeated here because that package is not a dependency of this library.
 */
const MESSAGE_METADATA = 'message';

/**
 * Tags of a gateway's message handler, read once per handler: `gateway`, `handler` and `event`
 * (the `@SubscribeMessage()` name; JSON for a non-string one).
 */
export function wsHandlerTags(gateway: { name: string }, handler: Function): TagPairs {
  const event: unknown = Reflect.getMetadata(MESSAGE_METADATA, handler);
  return [
    ['gateway', gateway.name || 'anonymous'],
    ['handler', handler.name || 'anonymous'],
    [
      'event',
      typeof event === 'string'
        ? event
        : event === undefined
          ? 'unknown'
          : (JSON.stringify(event) ?? String(event)),
    ],
  ];
}
