/**
 * Renders a Mermaid diagram to PNG in headless Chromium, to check that it renders and reads well. Opt-in (not part
 * of npm test): needs a Chromium (Debian: apt-get install chromium; CHROMIUM_PATH names another binary).
 *
 *   npm run diagram:render -- [docs/architecture.mmd] [--out docs/architecture.png]
 *
 * Mermaid comes from the pinned npm package in node_modules and is injected into a blank page; every network
 * request of the page is refused, so nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { DEFAULT_DIAGRAM_FILE } from '../cli/commands/diagram';

const DEFAULT_PNG_FILE = 'docs/architecture.png';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What the page holds once Mermaid's script ran (the page's globals, typed for page.evaluate). */
interface MermaidPage {
  readonly mermaid: {
    initialize(config: Record<string, unknown>): void;
    render(id: string, text: string): Promise<{ svg: string }>;
  };
  readonly document: { getElementById(id: string): { innerHTML: string } | null };
}

export async function renderDiagram(mermaidText: string, pngFile: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><body style="margin:16px;background:#fff"><div id="diagram"></div></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    await page.evaluate(async (text) => {
      const window = globalThis as unknown as MermaidPage;
      window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
      const { svg } = await window.mermaid.render('architecture', text);
      window.document.getElementById('diagram')!.innerHTML = svg;
    }, mermaidText);
    await page.locator('#diagram svg').screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
}

async function main(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { out: { type: 'string', short: 'o' } }, allowPositionals: true, strict: true });
  const input = positionals[0] ?? DEFAULT_DIAGRAM_FILE;
  const output = values.out ?? DEFAULT_PNG_FILE;
  await renderDiagram(readFileSync(input, 'utf8'), output);
  process.stdout.write(`rendered ${input} to ${output}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => (process.exitCode = status),
    (error: unknown) => {
      process.stderr.write(`render failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
