import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** The key the sample accepts; a real app would read it from its configuration. */
export const SAMPLE_API_KEY = 'sample-key';

/** Lets a request through only with `x-api-key: sample-key`; otherwise Nest answers 403. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    return request.headers['x-api-key'] === SAMPLE_API_KEY;
  }
}
