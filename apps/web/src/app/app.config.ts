import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';

import { routes } from './app.routes';
import { provideServerFeatures } from './server-features';
import { ThemePalette } from './shared/theme-palette';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideServerFeatures(),
    // Readable colours from the first paint, on every page (unlock included), not only in chat.
    provideAppInitializer(() => void inject(ThemePalette)),
  ],
};
