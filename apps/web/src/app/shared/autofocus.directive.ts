import { afterNextRender, Directive, ElementRef, inject } from '@angular/core';

/** Focuses the element once it is rendered: for dialogs and forms that open on a person's request. */
@Directive({ selector: '[mqAutofocus]' })
export class Autofocus {
  constructor() {
    const element = inject<ElementRef<HTMLElement>>(ElementRef);
    afterNextRender(() => element.nativeElement.focus());
  }
}
