import * as fs from 'node:fs';
import type { Page } from 'playwright-core';

import { screenshot } from './browser';

/** axe-core, evaluated in the page through DevTools (which the page's CSP does not govern). */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** The elements' selectors. */
  readonly targets: readonly string[];
  /** One line per element: its selector and what fails (e.g. the measured contrast). */
  readonly nodes: readonly string[];
}

/**
 * The WCAG 2.x A/AA and best-practice violations axe-core finds on the page as it is now, in the
 * whole page or inside `scope` (a selector).
 */
export async function axeViolations(page: Page, scope = 'html'): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (scope) => {
    interface AxeResult {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[]; failureSummary?: string }[];
      }[];
    }
    const axe = (window as unknown as { axe: { run(context: string, options: object): Promise<AxeResult> } })
      .axe;
    const result = await axe.run(scope, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    }));
  }, scope);
}

/** The violations a view must not have: serious and critical ones, and missing landmarks. */
export function blocking(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region');
}

function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id} (${v.help}):\n  ${v.nodes.join('\n  ')}`).join('\n');
}

/**
 * No blocking violation in the view (or inside `scope`), in the dark scheme and in the light one; a
 * screenshot of each as `a11y-<view>-<scheme>`. The failure message carries what axe measured.
 */
export async function expectAccessible(page: Page, view: string, scope = 'html'): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    // The palette follows the scheme through matchMedia; give it one frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await screenshot(page, `a11y-${view}-${colorScheme}`);
    const bad = blocking(await axeViolations(page, scope));
    if (bad.length > 0) found.push(`${view}, ${colorScheme}:\n${describeViolations(bad)}`);
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(found.join('\n\n')).toBe('');
}
