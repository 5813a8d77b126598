import { formatNumber } from './sanitize';
import type { MetricType, SeriesFormat } from './series-format';
import { ValueBuffer } from './value-buffer';

/**
 * The values one series (name + type + tags) received since the last flush. Recording is a push
 * or an addition: this is the only thing the request path does per metric.
 */
export class Series {
  /** Timings, histograms and distributions: every value (created on the first). */
  private values: ValueBuffer | undefined;
  private gauge: number | undefined;
  private sum = 0;
  private counted = false;
  private members: Set<string> | undefined;
  private variants: Map<number, Series> | undefined;

  constructor(
    readonly format: SeriesFormat,
    readonly type: MetricType,
    /** Whether a negative gauge must be written as a reset then a delta (Etsy, Telegraf). */
    private readonly signedGaugesAreDeltas: boolean,
    /** Builds (and registers for flushing) this series sent at another sample rate. */
    private readonly variantAt?: (rate: number) => Series,
  ) {}

  /**
   * This series for values kept with probability `rate` (0 < rate < 1): its lines carry
   * `|@rate` (times the global sample rate), so the agent scales their counts back. Callers use
   * a few fixed rates (powers of two), so a series has a handful of variants at most.
   */
  sampledAt(rate: number): Series {
    if (rate >= 1 || this.variantAt === undefined) return this;
    let variant = this.variants?.get(rate);
    if (variant === undefined) {
      variant = this.variantAt(rate);
      (this.variants ??= new Map()).set(rate, variant);
    }
    return variant;
  }

  /** Records a number: counters add up, gauges keep the last value, the rest keep every value. */
  add(value: number): void {
    if (this.type === 'c') {
      this.sum += value;
      this.counted = true;
    } else if (this.type === 'g') {
      this.gauge = value;
    } else {
      (this.values ??= new ValueBuffer()).push(value);
    }
  }

  /** Records a member of a set. */
  addMember(member: string): void {
    (this.members ??= new Set()).add(member);
  }

  /** Number of values waiting (for the overflow check). */
  get pending(): number {
    switch (this.type) {
      case 'c':
        return this.counted ? 1 : 0;
      case 's':
        return this.members?.size ?? 0;
      case 'g':
        return this.gauge === undefined ? 0 : 1;
      default:
        return this.values?.length ?? 0;
    }
  }

  /**
   * Writes the waiting values as lines of at most `maxBytes` bytes, and forgets them. Numbers are
   * ASCII; the head, the tail and set members may hold unicode and are counted in bytes.
   */
  drainInto(lines: string[], maxBytes: number): void {
    const texts = this.takeValueTexts();
    if (texts.length === 0) return;
    const { head, valueSuffix, tail, multiValue } = this.format;
    const fixedBytes = Buffer.byteLength(head) + Buffer.byteLength(tail);
    // Set members may hold multi-byte characters; numbers are ASCII.
    const bytesOf = this.type === 's' ? (piece: string) => Buffer.byteLength(piece) : (piece: string) => piece.length;
    let line = '';
    let lineBytes = 0;
    for (const text of texts) {
      const piece = text + valueSuffix;
      const pieceBytes = bytesOf(piece);
      if (line !== '' && multiValue && lineBytes + 1 + pieceBytes <= maxBytes) {
        line += `:${piece}`;
        lineBytes += 1 + pieceBytes;
        continue;
      }
      if (line !== '') lines.push(line + tail);
      line = head + piece;
      lineBytes = fixedBytes + pieceBytes;
    }
    lines.push(line + tail);
  }

  private takeValueTexts(): string[] {
    switch (this.type) {
      case 'c': {
        if (!this.counted) return [];
        const total = this.sum;
        this.sum = 0;
        this.counted = false;
        return [formatNumber(total)];
      }
      case 's': {
        const members = this.members ? [...this.members] : [];
        this.members = undefined;
        return members;
      }
      case 'g': {
        const value = this.gauge;
        if (value === undefined) return [];
        this.gauge = undefined;
        return value < 0 && this.signedGaugesAreDeltas ? ['0', formatNumber(value)] : [formatNumber(value)];
      }
      default:
        return this.values?.drain(formatNumber) ?? [];
    }
  }
}
