import { inject } from '@angular/core';
import { Router, type Routes, type UrlSegment } from '@angular/router';

import { IdentityStore } from './identity/identity.store';

/**
 * The chat needs an unlocked identity; without one, the unlock page comes first. These are
 * `canMatch` guards, not `canActivate`: a locked visitor then never downloads the chat's chunks
 * (Markdown, Prism, Socket.IO), which `canActivate` on a lazy route would fetch before refusing.
 */
const unlocked = () => inject(IdentityStore).identity() !== null || inject(Router).parseUrl('/unlock');

/** Like `unlocked`, but the unlock page returns to this URL afterwards (join links). */
const unlockedThenBack = (_route: unknown, segments: UrlSegment[]) => {
  if (inject(IdentityStore).identity() !== null) return true;
  const router = inject(Router);
  // Re-encoded: a segment holds a whole server address (`http://…`), decoded here.
  const next = router.serializeUrl(router.createUrlTree(['/', ...segments.map((s) => s.path)]));
  return router.createUrlTree(['/unlock'], { queryParams: { next } });
};

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'chat' },
  { path: 'unlock', loadComponent: () => import('./identity/unlock.page').then((m) => m.UnlockPage) },
  {
    path: 'chat',
    canMatch: [unlocked],
    loadChildren: () => import('./chat/chat.routes').then((m) => m.chatRoutes),
  },
  {
    path: 'join/:server/:code',
    canMatch: [unlockedThenBack],
    loadComponent: () => import('./servers/join.page').then((m) => m.JoinPage),
  },
  { path: '**', redirectTo: 'chat' },
];
