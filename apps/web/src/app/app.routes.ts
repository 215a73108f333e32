import { inject } from '@angular/core';
import { Router, type Routes } from '@angular/router';
import { IdentityStore } from './identity/identity.store';

/** The chat needs an unlocked identity; without one, the unlock page comes first. */
const unlocked = () => inject(IdentityStore).identity() !== null || inject(Router).parseUrl('/unlock');

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'chat' },
  { path: 'unlock', loadComponent: () => import('./identity/unlock.page').then((m) => m.UnlockPage) },
  {
    path: 'chat',
    canActivate: [unlocked],
    loadChildren: () => import('./chat/chat.routes').then((m) => m.chatRoutes),
  },
  { path: '**', redirectTo: 'chat' },
];
