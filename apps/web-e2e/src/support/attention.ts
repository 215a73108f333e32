import type { Page } from 'playwright-core';

/**
 * Makes the page report what a background tab or a window behind another one reports, and fires
 * the events the browser fires then. Headless Chromium has no real window focus (Playwright
 * emulates every page as focused and visible), so this is the one way to put a page in the
 * background there; the app reads nothing but these standard signals.
 */
export async function setPageAttention(
  page: Page,
  state: { readonly visible: boolean; readonly focused: boolean },
): Promise<void> {
  await page.evaluate(({ visible, focused }) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (visible ? 'visible' : 'hidden'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !visible });
    document.hasFocus = () => focused;
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event(focused ? 'focus' : 'blur'));
  }, state);
}
