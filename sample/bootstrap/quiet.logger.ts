import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's console logger, minus the stack trace Nest prints for every unhandled exception: the
 * sample throws on purpose, and the table already counts those errors (status 500, `error` tag).
 * With `showAll`, everything is printed as usual.
 */
export class QuietLogger extends ConsoleLogger {
  constructor(private readonly showAll: boolean) {
    super();
    const levels: LogLevel[] = showAll
      ? ['fatal', 'error', 'warn', 'log', 'debug', 'verbose']
      : ['fatal', 'error', 'warn'];
    this.setLogLevels(levels);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (!this.showAll && optionalParams.at(-1) === 'ExceptionsHandler') return;
    super.error(message, ...optionalParams);
  }
}
