import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Axe from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = path.join(path.dirname(require.resolve('axe-core/package.json')), 'axe.min.js');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * What axe-core finds wrong inside the elements matching `selector` (every rule axe runs by
 * default: WCAG A and AA, colour contrast, ARIA attributes and roles, best practices). The source
 * goes in through the DevTools protocol, which the page's Content Security Policy does not govern.
 */
export async function axeViolations(page: Page, selector: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  return page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const results = await axe.run({ include: [include] }, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, selector);
}
