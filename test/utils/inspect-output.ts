/** A value the StatsD daemon prints through `util.inspect`: a number, a number list or an object of them. */
export type InspectedValue = number | number[] | { [key: string]: InspectedValue };

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/**
 * Reads back the `util.inspect` text of a plain object whose leaves are numbers or number
 * arrays (what the daemon's `counters`, `timers` and `gauges` commands print). Handles quoted
 * keys (`'`, `"` or backtick, with escapes), `NaN`, `Infinity`, exponents and line wrapping.
 * Throws on anything else, including arrays cut short by `... N more items`.
 */
export function parseInspectOutput(text: string): Record<string, InspectedValue> {
  const reader = new InspectReader(text);
  const value = reader.readObject();
  reader.expectEnd();
  return value;
}

class InspectReader {
  private index = 0;

  constructor(private readonly text: string) {}

  readObject(): Record<string, InspectedValue> {
    const result: Record<string, InspectedValue> = {};
    this.expect('{');
    while (!this.tryConsume('}')) {
      const key = this.readKey();
      this.expect(':');
      Object.defineProperty(result, key, {
        value: this.readValue(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (!this.tryConsume(',')) {
        this.expect('}');
        break;
      }
    }
    return result;
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.index < this.text.length) this.fail('trailing text');
  }

  private readValue(): InspectedValue {
    this.skipSpace();
    const char = this.text[this.index];
    if (char === '{') return this.readObject();
    if (char === '[') return this.readArray();
    return this.readNumber();
  }

  private readArray(): number[] {
    const items: number[] = [];
    this.expect('[');
    while (!this.tryConsume(']')) {
      items.push(this.readNumber());
      if (!this.tryConsume(',')) {
        this.expect(']');
        break;
      }
    }
    return items;
  }

  private readNumber(): number {
    this.skipSpace();
    if (this.text.startsWith('...', this.index))
      this.fail('output truncated by util.inspect ("... more items")');
    const match = /^-?(?:Infinity|NaN|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(
      this.text.slice(this.index),
    );
    if (!match) this.fail('expected a number');
    this.index += match[0].length;
    return Number(match[0]);
  }

  private readKey(): string {
    this.skipSpace();
    // util.inspect prints an own "__proto__" key as ['__proto__'].
    if (this.tryConsume('[')) {
      const key = this.readKey();
      this.expect(']');
      return key;
    }
    const quote = this.text[this.index];
    if (quote === "'" || quote === '"' || quote === '`') return this.readQuoted(quote);
    const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.index));
    if (!match) this.fail('expected a key');
    this.index += match[0].length;
    return match[0];
  }

  private readQuoted(quote: string): string {
    let out = '';
    for (this.index++; this.index < this.text.length; this.index++) {
      const char = this.text[this.index];
      if (char === quote) {
        this.index++;
        return out;
      }
      out += char === '\\' ? this.readEscape() : char;
    }
    return this.fail('unterminated string');
  }

  private readEscape(): string {
    const code = this.text[++this.index] ?? '';
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) return simple;
    const width = code === 'x' ? 2 : code === 'u' ? 4 : 0;
    if (width === 0) return code;
    const hex = this.text.slice(this.index + 1, this.index + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.fail(`bad \\${code} escape`);
    this.index += width;
    return String.fromCharCode(parseInt(hex, 16));
  }

  private expect(token: string): void {
    if (!this.tryConsume(token)) this.fail(`expected "${token}"`);
  }

  private tryConsume(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.index)) return false;
    this.index += token.length;
    return true;
  }

  private skipSpace(): void {
    while (this.index < this.text.length && /\s/.test(this.text[this.index] ?? '')) this.index++;
  }

  private fail(reason: string): never {
    const around = this.text.slice(Math.max(0, this.index - 20), this.index + 20);
    throw new Error(
      `Cannot read util.inspect output: ${reason} at offset ${this.index} (near ${JSON.stringify(around)})`,
    );
  }
}
