import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Dialog, type Page } from 'playwright-core';

import { tempDir } from '@mpqcht/test-harness';

import { fakeVoiceFile } from './fake-voice';

export const CHROMIUM = '/usr/bin/chromium';
/** Git-ignored: every run rewrites them, and `npm test` must leave the clone as it was. */
export const SCREENSHOTS = path.resolve(__dirname, '../../screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

/** Chromium flags from DESIGN.md section 8: headless, and nothing but loopback is reachable. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  // Calls: fake microphone and camera, granted without a prompt (the microphone plays
  // fakeVoiceFile()); remote audio may play.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export interface PersonOptions {
  /** Sets the flag that makes the app expose `window.__mpqchtVoiceStats()` (voice/peer-mesh.ts). */
  readonly voiceStats?: boolean;
}

export interface CspViolation {
  readonly directive: string;
  readonly blocked: string;
  readonly sample: string;
}

/**
 * One person's browser: a persistent Chromium profile in its own temporary directory (so a reload
 * keeps localStorage, as a real browser does), one page, and what the page reported: console
 * errors, CSP violations (from `securitypolicyviolation` events) and native dialogs.
 */
export interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly cspViolations: CspViolation[];
  /**
   * Native dialogs (alert, confirm, prompt), dismissed: the app asks in its own dialogs, so an
   * alert() from a payload, or a confirm() that came back, lands here.
   */
  readonly unexpectedDialogs: string[];
  close(): Promise<void>;
}

export async function launchPerson(name: string, options: PersonOptions = {}): Promise<Person> {
  const profile = tempDir(`mpqcht-web-e2e-${name}-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--use-file-for-fake-audio-capture=${fakeVoiceFile()}`],
    viewport: VIEWPORT,
    colorScheme: 'dark',
  });
  const consoleErrors: string[] = [];
  const cspViolations: CspViolation[] = [];
  const unexpectedDialogs: string[] = [];

  // Reported from the page through a binding, so the list survives reloads.
  await context.exposeBinding('__mpqchtCspViolation', (_source, violation: CspViolation) => {
    cspViolations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __mpqchtCspViolation: (v: unknown) => void })
        .__mpqchtCspViolation;
      report({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });

  if (options.voiceStats) {
    await context.addInitScript(() => {
      (window as unknown as { __mpqchtVoiceTest: boolean }).__mpqchtVoiceTest = true;
    });
  }

  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog: Dialog) => {
    unexpectedDialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });

  return {
    name,
    context,
    page,
    consoleErrors,
    cspViolations,
    unexpectedDialogs,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A 1280x800 PNG of the page's viewport in apps/web-e2e/screenshots/ (not tracked by git). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, type: 'png', animations: 'disabled', caret: 'hide' });
  return file;
}
