import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A CSV export produced a chunk at a time with a pause between chunks, like rows read from a
 * database cursor: the request's wall time covers the whole stream, not just the handler.
 */
export function csvExport(rows: number, chunkRows = 50, pauseMs = 10): Readable {
  async function* generate(): AsyncGenerator<string> {
    yield 'id,sku,quantity\n';
    for (let start = 0; start < rows; start += chunkRows) {
      await delay(pauseMs);
      let chunk = '';
      for (let id = start; id < Math.min(start + chunkRows, rows); id++) {
        chunk += `${id},SKU-${id % 17},${1 + (id % 3)}\n`;
      }
      yield chunk;
    }
  }
  return Readable.from(generate());
}
