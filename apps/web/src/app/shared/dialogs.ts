import { Dialog, DialogConfig, type DialogRef } from '@angular/cdk/dialog';
import { createGlobalPositionStrategy } from '@angular/cdk/overlay';
import { DestroyRef, inject, Injector, type OutputEmitterRef, type Type } from '@angular/core';

import { ConfirmDialog, type ConfirmOptions } from './confirm-dialog.component';

export type { ConfirmOptions } from './confirm-dialog.component';

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
  /**
   * Asks a yes/no question in the app's own dialog (never `window.confirm`): true when the person
   * accepts; false for Cancel, Escape, a click outside, or when the opener goes away first.
   */
  confirm(options: ConfirmOptions): Promise<boolean>;
  closeAll(): void;
}

/** Numbers the ids of confirmations' titles and sentences. */
let confirmations = 0;

/**
 * Modal dialogs through @angular/cdk/dialog: role=dialog with a label, focus trapped inside and
 * returned to the opener, Escape and a click on the backdrop close. The dialogs an opener made close
 * with it. Confirmations are `alertdialog`s named by their title and described by their sentence.
 * Call in an injection context (a component's field initializer).
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

  function confirm(options: ConfirmOptions): Promise<boolean> {
    const id = ++confirmations;
    const titleId = `mq-confirm-title-${id}`;
    const messageId = `mq-confirm-message-${id}`;
    const config = Object.assign(new DialogConfig<unknown, DialogRef<boolean, ConfirmDialog>>(), {
      role: 'alertdialog',
      ariaModal: true,
      ariaLabelledBy: titleId,
      ariaDescribedBy: messageId,
      backdropClass: 'mq-dialog-backdrop',
      // The safe answer has the focus when the action cannot be undone (Enter does not destroy).
      autoFocus: options.danger ? '[data-test=confirm-cancel]' : '[data-test=confirm-accept]',
      positionStrategy: createGlobalPositionStrategy(injector).top('20vh').centerHorizontally(),
    });
    const ref = dialog.open<boolean, unknown, ConfirmDialog>(ConfirmDialog, config);
    const componentRef = ref.componentRef;
    if (!componentRef) throw new Error('the dialog has no component');
    componentRef.setInput('options', options);
    componentRef.setInput('titleId', titleId);
    componentRef.setInput('messageId', messageId);
    const content = componentRef.instance;
    content.answered.subscribe((answer) => ref.close(answer));
    const close = () => {
      ref.close(false);
    };
    opened.add(close);
    return new Promise<boolean>((resolve) => {
      ref.closed.subscribe((answer) => {
        opened.delete(close);
        resolve(answer === true);
      });
    });
  }

  return { open, confirm, closeAll };
}
