import {
  BadRequestException,
  Controller,
  DefaultValuePipe,
  Get,
  type MessageEvent,
  ParseIntPipe,
  Query,
  Sse,
  StreamableFile,
} from '@nestjs/common';
import { interval, map, type Observable, take } from 'rxjs';
import { burnCpu } from '../common/busy.loop';
import { csvExport } from './csv.stream';

const MAX_CPU_MS = 1000;

/** A CPU-heavy route and two streaming ones (a file download and server-sent events). */
@Controller('reports')
export class ReportsController {
  /** Burns `ms` of CPU on the event loop: compare its CPU column with the slow orders route. */
  @Get('cpu')
  cpu(@Query('ms', new DefaultValuePipe(20), ParseIntPipe) ms: number): { burnedMs: number } {
    if (ms < 0 || ms > MAX_CPU_MS) {
      throw new BadRequestException(`"ms" must be from 0 to ${MAX_CPU_MS}`);
    }
    burnCpu(ms);
    return { burnedMs: ms };
  }

  /** Streams 500 CSV rows in 10 chunks, ~10 ms apart. */
  @Get('export.csv')
  exportCsv(): StreamableFile {
    return new StreamableFile(csvExport(500), {
      type: 'text/csv',
      disposition: 'attachment; filename="orders.csv"',
    });
  }

  /** Five server-sent events, 20 ms apart, then the stream completes. */
  @Sse('live')
  live(): Observable<MessageEvent> {
    return interval(20).pipe(
      take(5),
      map((tick) => ({ data: { tick, at: new Date().toISOString() } })),
    );
  }
}
