/** Minimal `--flag value` / `--flag=value` / `--bool` parser (no dependency needed). */
import { isAbsolute, join } from 'node:path';

export type Args = Record<string, string | true>;

export function parseArgs(argv: readonly string[] = process.argv.slice(2)): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--'))
      throw new Error(`unexpected argument "${token}" (flags look like --name value)`);
    const eq = token.indexOf('=');
    if (eq > 0) {
      out[token.slice(2, eq)] = token.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[token.slice(2)] = next;
      i++;
    } else {
      out[token.slice(2)] = true;
    }
  }
  return out;
}

export function str(args: Args, name: string, fallback: string): string {
  const v = args[name];
  return typeof v === 'string' ? v : fallback;
}

/** One value of `allowed`, or `fallback` when the flag is absent; anything else throws. */
export function oneOf<T extends string>(
  args: Args,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = str(args, name, fallback ?? '');
  if (!allowed.includes(value as T))
    throw new Error(`--${name} must be one of ${allowed.join(', ')} (received "${value}")`);
  return value as T;
}

/** A path given on the command line, taken relative to the working directory. */
export function absolute(path: string): string {
  return isAbsolute(path) ? path : join(process.cwd(), path);
}

export function num(args: Args, name: string, fallback: number): number {
  const v = args[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n))
    throw new Error(`--${name} must be a number (received "${String(v)}")`);
  return n;
}

export function list<T extends string>(
  args: Args,
  name: string,
  fallback: readonly T[],
  allowed?: readonly T[],
): T[] {
  const v = args[name];
  if (typeof v !== 'string' || v === 'all') return [...fallback];
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as T[];
  if (allowed) {
    for (const item of items) {
      if (!allowed.includes(item))
        throw new Error(`--${name}: unknown "${item}" (allowed: ${allowed.join(', ')})`);
    }
  }
  return items;
}

export function flag(args: Args, name: string): boolean {
  const v = args[name];
  return v === true || v === 'true' || v === '1';
}
