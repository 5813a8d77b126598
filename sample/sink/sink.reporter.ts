import type { MetricsStore } from './metrics.store';
import { renderTables } from './table.renderer';

export interface ReporterOptions {
  /** Where to print; its `isTTY` decides between redrawing the screen and appending. */
  readonly output: NodeJS.WriteStream;
  /** Lines printed above the tables (addresses, hints), evaluated at each refresh. */
  readonly header: () => readonly string[];
  /** Refresh period on a terminal. @default 2000 */
  readonly ttyIntervalMs?: number;
  /** Period when the output is a file or a pipe; only printed when something new arrived. @default 10000 */
  readonly plainIntervalMs?: number;
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/**
 * Prints the sink's tables periodically: on a terminal it redraws the whole screen every ~2 s;
 * into a pipe or a file it appends a fresh copy now and then, only when new lines arrived.
 */
export class SinkReporter {
  private timer: NodeJS.Timeout | undefined;
  private printedAtLines = -1;

  constructor(
    private readonly store: MetricsStore,
    private readonly options: ReporterOptions,
  ) {}

  start(): void {
    const { output, ttyIntervalMs = 2000, plainIntervalMs = 10_000 } = this.options;
    this.timer = setInterval(() => this.print(), output.isTTY ? ttyIntervalMs : plainIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Prints now; on a pipe, skips when nothing arrived since the last print unless `force`. */
  print(force = false): void {
    const { output } = this.options;
    if (!output.isTTY && !force && this.store.lines === this.printedAtLines) return;
    this.printedAtLines = this.store.lines;

    const stamp = new Date().toLocaleTimeString();
    const received = `${this.store.lines} metric lines received, ${this.store.skipped} skipped · ${stamp}`;
    const lines = [...this.options.header(), received, '', ...renderTables(this.store), ''];
    output.write((output.isTTY ? CLEAR_SCREEN : '\n') + lines.join('\n') + '\n');
  }
}
