import { type DynamicModule, Global, Module } from '@nestjs/common';

import { AppConfig } from './app-config';

/**
 * The one `AppConfig`, read by main.ts before Nest starts (a bad environment or config.toml stops
 * the process there) and handed in as a value. Global: nearly every provider reads it.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
