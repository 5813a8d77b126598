import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StatsdModuleOptions } from './options/statsd-options.interface';

/** Extra registration options (not passed to the runtime). */
export interface StatsdModuleExtras {
  /**
   * Register the module globally, so `StatsdService` is injectable everywhere.
   * @default true
   */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: StatsdConfigurableModule,
  MODULE_OPTIONS_TOKEN: STATSD_MODULE_OPTIONS,
  OPTIONS_TYPE: STATSD_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: STATSD_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<StatsdModuleOptions>({ moduleName: 'Statsd' })
  .setClassMethodName('forRoot')
  .setExtras<StatsdModuleExtras>({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
