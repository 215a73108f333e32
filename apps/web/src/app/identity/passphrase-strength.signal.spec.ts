import { computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { passphraseStrengthSignals } from './passphrase-strength.signal';

/** Runs effects and waits (timers, the dictionaries' first load) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) {
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(done()).toBe(true);
}

describe('passphraseStrengthSignals', () => {
  it('estimates the current input, keeps the last estimate shown while the next is computed', async () => {
    const passphrase = signal('');
    const username = signal('ada');
    const context = computed(() => [username()]);
    const strength = TestBed.runInInjectionContext(() => passphraseStrengthSignals(passphrase, context));
    await until(() => strength.current() !== null);
    expect(strength.current()?.hints).toEqual(['Enter a passphrase.']);

    passphrase.set('velvet kayak quorum tundra');
    TestBed.tick();
    // Until the estimate of the new input arrives, it cannot be trusted (no submit), but the old
    // one stays on screen.
    expect(strength.current()).toBeNull();
    expect(strength.shown()?.acceptable).toBe(false);
    await until(() => strength.current() !== null);
    expect(strength.current()?.acceptable).toBe(true);

    username.set('velvet');
    TestBed.tick();
    expect(strength.current()).toBeNull();
    await until(() => strength.current() !== null);
    expect(strength.current()?.acceptable).toBe(true);
  });
});
