import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ApiKeyGuard } from './api-key.guard';

@Module({ controllers: [AdminController], providers: [ApiKeyGuard] })
export class AdminModule {}
