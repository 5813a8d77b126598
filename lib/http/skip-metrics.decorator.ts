import { SetMetadata } from '@nestjs/common';
import { SKIP_METRICS_METADATA } from '../statsd.constants';

/**
 * Turns off the automatic request metrics for a controller or a handler.
 *
 * @example
 * @SkipMetrics()
 * @Get('health')
 * health() { return 'ok'; }
 */
export const SkipMetrics = (): ClassDecorator & MethodDecorator => SetMetadata(SKIP_METRICS_METADATA, true);
