import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** What a confirmation asks (see `Dialogs.confirm`). */
export interface ConfirmOptions {
  readonly title: string;
  readonly message: string;
  /** The accepting button's label, a verb ("Delete", "Remove"); "OK" when absent. */
  readonly confirmLabel?: string;
  readonly cancelLabel?: string;
  /** Something that cannot be undone: the accepting button is red, and Cancel has the focus. */
  readonly danger?: boolean;
}

/**
 * The app's confirmation: a title, a sentence, Cancel and the action. Opened by `Dialogs.confirm`
 * as a modal `alertdialog`; Escape or a click outside answers no.
 */
@Component({
  selector: 'mq-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="confirm" data-test="confirm-dialog">
      <h2 [id]="titleId()">{{ options().title }}</h2>
      <p [id]="messageId()">{{ options().message }}</p>
      <footer>
        <button type="button" class="button" (click)="answered.emit(false)" data-test="confirm-cancel">
          {{ options().cancelLabel ?? 'Cancel' }}
        </button>
        <button
          type="button"
          class="button"
          [class.danger]="options().danger"
          [class.primary]="!options().danger"
          (click)="answered.emit(true)"
          data-test="confirm-accept"
        >
          {{ options().confirmLabel ?? 'OK' }}
        </button>
      </footer>
    </section>
  `,
  styles: `
    .confirm {
      box-sizing: border-box;
      width: min(440px, 92vw);
      padding: 20px;
      border-radius: 8px;
      background: var(--mq-surface);
      border: 1px solid var(--mq-border);
      box-shadow: 0 8px 32px rgb(0 0 0 / 35%);
      display: grid;
      gap: 12px;
    }
    h2 {
      margin: 0;
      font-size: 18px;
    }
    p {
      margin: 0;
      color: var(--mq-text);
      overflow-wrap: anywhere;
    }
    footer {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
      margin-top: 4px;
    }
  `,
})
export class ConfirmDialog {
  readonly options = input.required<ConfirmOptions>();
  /** The ids the dialog is labelled and described by. */
  readonly titleId = input.required<string>();
  readonly messageId = input.required<string>();
  readonly answered = output<boolean>();
}
