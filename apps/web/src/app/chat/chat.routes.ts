// The chat's lazy entry: Markdown, code highlighting and Socket.IO load with it, not before.
import '../shared/prism';

import type { Routes } from '@angular/router';

import { provideSafeMarkdown } from '../shared/markdown.providers';
import { ChatShellPage } from './chat-shell.page';

export const chatRoutes: Routes = [
  { path: '', component: ChatShellPage, providers: [provideSafeMarkdown()] },
];
