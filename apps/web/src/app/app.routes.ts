import { inject } from '@angular/core';
import { Router, type RouterStateSnapshot, type Routes } from '@angular/router';

import { IdentityStore } from './identity/identity.store';

/** The chat needs an unlocked identity; without one, the unlock page comes first. */
const unlocked = () => inject(IdentityStore).identity() !== null || inject(Router).parseUrl('/unlock');

/** Like `unlocked`, but the unlock page returns to this URL afterwards (join links). */
const unlockedThenBack = (_route: unknown, state: RouterStateSnapshot) =>
  inject(IdentityStore).identity() !== null ||
  inject(Router).createUrlTree(['/unlock'], { queryParams: { next: state.url } });

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'chat' },
  { path: 'unlock', loadComponent: () => import('./identity/unlock.page').then((m) => m.UnlockPage) },
  {
    path: 'chat',
    canActivate: [unlocked],
    loadChildren: () => import('./chat/chat.routes').then((m) => m.chatRoutes),
  },
  {
    path: 'join/:server/:code',
    canActivate: [unlockedThenBack],
    loadComponent: () => import('./servers/join.page').then((m) => m.JoinPage),
  },
  { path: '**', redirectTo: 'chat' },
];
