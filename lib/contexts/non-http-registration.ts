import type { NestInterceptor } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';

/**
 * Makes `interceptor` global for the microservice handlers Nest wires before the HTTP routes,
 * and only for them. Nest reads the global interceptors when it builds each handler's pipeline:
 * - a microservice (`NestFactory.createMicroservice`) builds its message and event handlers
 *   right after the modules are created, before any lifecycle hook, and never runs `configure()`;
 * - a hybrid app's `connectMicroservice(…, { inheritAppConfig: true })` builds its handlers
 *   when called, normally before `app.init()`;
 * - HTTP routes are built after every module's `configure()`, where {@link withdrawFromHttp}
 *   takes the interceptor out again, so HTTP requests never pay for Nest's interceptor pipeline
 *   (they are measured by the adapter hooks).
 * Gateways never use global interceptors (Nest builds them without the application config):
 * they need `@UseInterceptors(StatsdInterceptor)`.
 * Called while the module is being created, the earliest point a module can act.
 */
export function offerToNonHttpContexts(
  config: ApplicationConfig,
  interceptor: NestInterceptor,
): void {
  config.addGlobalInterceptor(interceptor);
}

/** Removes what {@link offerToNonHttpContexts} added, before the HTTP routes are built. */
export function withdrawFromHttp(config: ApplicationConfig, interceptor: NestInterceptor): void {
  const interceptors = config.getGlobalInterceptors();
  const index = interceptors.indexOf(interceptor);
  if (index !== -1) interceptors.splice(index, 1);
}
