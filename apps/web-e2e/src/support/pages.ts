import type { Page } from 'playwright-core';

/** What the browser tests wait for an element or a state, at most. */
export const WAIT = 20_000;

export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** Polls a condition (never a fixed sleep as the thing asserted). */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = WAIT,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A server's button in the rail. */
export const rail = (page: Page, url: string) =>
  page.locator(`mq-server-rail button.server[data-server="${url}"]`);

/** The open channel's title. */
/** The title of the channel on screen (`#` and the name; a speaker icon for a voice channel). */
export const channelTitle = (page: Page, name: string) =>
  page.locator(`mq-message-pane .channel-header h1[data-channel="${name}"]`);

export async function createIdentity(page: Page, url: string, username: string, passphrase: string) {
  const response = await page.goto(url);
  await page.waitForURL('**/unlock');
  await page.locator('[data-test=username]').fill(username);
  await page.locator('[data-test=passphrase]').fill(passphrase);
  await page.locator('[data-test=strength]', { hasText: 'Strong enough' }).waitFor({ timeout: WAIT });
  return defined(response, 'the page response');
}

export async function unlock(page: Page): Promise<void> {
  await page.locator('[data-test=unlock]').click();
  await page.waitForURL('**/chat', { timeout: WAIT });
}

export async function addServer(page: Page, url: string): Promise<void> {
  await page.locator('[data-test=add-server]').click();
  await page.locator('[data-test=server-url]').fill(url);
  await page.locator('[data-test=add-server-submit]').click();
  await rail(page, url).waitFor();
}

export async function joinAs(page: Page, displayName: string): Promise<void> {
  const name = page.locator('[data-test=display-name]');
  await name.waitFor({ timeout: WAIT });
  await name.fill(displayName);
  await page.locator('[data-test=join]').click();
  await page.locator('[data-test=composer]').waitFor({ timeout: WAIT });
}
