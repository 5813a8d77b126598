import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';

/** Guarded routes: requests without the API key are rejected with 403 and still measured. */
@Controller('admin')
@UseGuards(ApiKeyGuard)
export class AdminController {
  @Get('stats')
  stats(): { uptimeSeconds: number; rssMb: number } {
    return {
      uptimeSeconds: Math.round(process.uptime()),
      rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
    };
  }
}
