import { Dialog, DialogConfig, type DialogRef } from '@angular/cdk/dialog';
import { createGlobalPositionStrategy } from '@angular/cdk/overlay';
import { DestroyRef, inject, Injector, type OutputEmitterRef, type Type } from '@angular/core';

/** A dialog's content: a component that says through `closed` when it is done. */
export interface DialogContent {
  readonly closed: OutputEmitterRef<void>;
}

export interface OpenDialogOptions<C> {
  /** The dialog's accessible name. */
  readonly label: string;
  /** Set before the component's first change detection. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Escape and a click on the backdrop call this instead of closing (to ask about unsaved edits). */
  readonly dismiss?: (component: C) => void;
}

export interface Dialogs {
  open<C extends DialogContent>(component: Type<C>, options: OpenDialogOptions<C>): DialogRef<unknown, C>;
  closeAll(): void;
}

/**
 * Modal dialogs through @angular/cdk/dialog: role=dialog with a label, focus trapped inside and
 * returned to the opener, Escape and a click on the backdrop close. The dialogs an opener made close
 * with it. Call in an injection context (a component's field initializer).
 */
export function injectDialogs(): Dialogs {
  const dialog = inject(Dialog);
  const injector = inject(Injector);
  /** How to close each dialog still open. */
  const opened = new Set<() => void>();
  const closeAll = () => {
    for (const close of opened) close();
  };
  inject(DestroyRef).onDestroy(closeAll);

  function open<C extends DialogContent>(component: Type<C>, options: OpenDialogOptions<C>) {
    const config = Object.assign(new DialogConfig<unknown, DialogRef<unknown, C>>(), {
      ariaLabel: options.label,
      ariaModal: true,
      disableClose: options.dismiss !== undefined,
      backdropClass: 'mq-dialog-backdrop',
      // Near the top rather than centred, so a list that grows as it loads does not move.
      positionStrategy: createGlobalPositionStrategy(injector).top('8vh').centerHorizontally(),
    });
    const ref = dialog.open<unknown, unknown, C>(component, config);
    const componentRef = ref.componentRef;
    if (!componentRef) throw new Error('the dialog has no component');
    for (const [name, value] of Object.entries(options.inputs)) componentRef.setInput(name, value);
    const content = componentRef.instance;
    content.closed.subscribe(() => ref.close());
    const dismiss = options.dismiss;
    if (dismiss) {
      ref.backdropClick.subscribe(() => dismiss(content));
      ref.keydownEvents.subscribe((event) => {
        if (event.key === 'Escape') dismiss(content);
      });
    }
    const close = () => {
      ref.close();
    };
    opened.add(close);
    ref.closed.subscribe(() => opened.delete(close));
    return ref;
  }

  return { open, closeAll };
}
