// axe-core in a page: the serious and critical findings, for the browser tests. Its source is
// injected as an inline script, so the page's context must bypass the server's CSP.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  id: string;
  impact: string | null;
  nodes: string[];
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}

/** Every violation axe finds in the page, of any impact. */
export async function allAxeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axe.source });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  const findings = await allAxeFindings(page);
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}
