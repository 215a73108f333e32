import { computed, effect, type Signal, signal } from '@angular/core';

import { type PassphraseStrength, passphraseStrength } from '@mpqcht/identity';

/** How long typing pauses before the passphrase is estimated. */
const SETTLE_MS = 150;

export interface PassphraseStrengthSignals {
  /** The latest estimate, kept on screen while the next one is computed (no flicker per keystroke). */
  readonly shown: Signal<PassphraseStrength | null>;
  /** The estimate of exactly the current input, or null while it is being computed. */
  readonly current: Signal<PassphraseStrength | null>;
}

/**
 * Estimates `passphrase` against `context` once typing pauses. The estimator loads its dictionaries on
 * the first non-empty passphrase and answers asynchronously, so a late answer for an older input
 * is dropped. Call in an injection context.
 */
export function passphraseStrengthSignals(
  passphrase: Signal<string>,
  context: Signal<string[]>,
): PassphraseStrengthSignals {
  const latest = signal<{ input: string; context: string; result: PassphraseStrength } | null>(null);
  effect((onCleanup) => {
    const input = passphrase();
    const words = context();
    let stale = false;
    const estimate = () => {
      void passphraseStrength(input, words).then((result) => {
        if (!stale) latest.set({ input, context: words.join('\n'), result });
      });
    };
    // One estimate can take a tenth of a second on the main thread: not one per keystroke.
    const timer = input === '' ? undefined : setTimeout(estimate, SETTLE_MS);
    if (timer === undefined) estimate();
    onCleanup(() => {
      stale = true;
      clearTimeout(timer);
    });
  });
  return {
    shown: computed(() => latest()?.result ?? null),
    current: computed(() => {
      const value = latest();
      const same = value?.input === passphrase() && value.context === context().join('\n');
      return same ? value.result : null;
    }),
  };
}
