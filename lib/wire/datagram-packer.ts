/**
 * Packs lines into newline-separated datagrams of at most `maxBytes` bytes. Lines are never split
 * (the series writer already keeps each line within the limit); a line that alone exceeds the
 * limit is dropped and counted rather than sent truncated or oversized.
 */
export function packDatagrams(lines: readonly string[], maxBytes: number): { datagrams: string[]; oversized: number } {
  const datagrams: string[] = [];
  let current = '';
  let currentBytes = 0;
  let oversized = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    if (bytes > maxBytes) {
      oversized++;
      continue;
    }
    if (current !== '' && currentBytes + 1 + bytes <= maxBytes) {
      current += `\n${line}`;
      currentBytes += 1 + bytes;
      continue;
    }
    if (current !== '') datagrams.push(current);
    current = line;
    currentBytes = bytes;
  }
  if (current !== '') datagrams.push(current);
  return { datagrams, oversized };
}
