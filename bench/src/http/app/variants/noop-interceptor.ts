import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { VariantSetup } from '../variant.types';

/** Does nothing: isolates the cost of Nest's interceptor pipeline itself. */
@Injectable()
export class NoopInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

export function setup(): VariantSetup {
  return {
    providers: [{ provide: APP_INTERCEPTOR, useClass: NoopInterceptor }],
    wirePerRequest: [],
  };
}
