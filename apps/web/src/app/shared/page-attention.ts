import { DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';

/**
 * Whether the person can be looking at this page: it is visible (not a background tab, not
 * minimised) and its window has the focus. What the page shows in a window behind another one, or
 * in a tab they left, has not been read.
 */
@Injectable({ providedIn: 'root' })
export class PageAttention {
  private readonly document = inject(DOCUMENT);
  readonly attentive = signal(this.read());

  constructor() {
    const update = () => this.attentive.set(this.read());
    const window = this.document.defaultView;
    this.document.addEventListener('visibilitychange', update);
    window?.addEventListener('focus', update);
    window?.addEventListener('blur', update);
    inject(DestroyRef).onDestroy(() => {
      this.document.removeEventListener('visibilitychange', update);
      window?.removeEventListener('focus', update);
      window?.removeEventListener('blur', update);
    });
  }

  private read(): boolean {
    return this.document.visibilityState === 'visible' && this.document.hasFocus();
  }
}
