import { Controller, Get } from '@nestjs/common';
import { SkipMetrics } from '../../lib';

/** A liveness probe: polled constantly, so it is kept out of the metrics with @SkipMetrics(). */
@Controller('health')
@SkipMetrics()
export class HealthController {
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
