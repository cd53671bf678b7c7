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

export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}
