import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage();
await p.setContent('<!doctype html><html><body></body></html>');
await p.addScriptTag({ path: 'node_modules/mermaid/dist/mermaid.min.js' });
for (const f of process.argv.slice(2)) {
const r = await p.evaluate(async (text) => {
  const m = globalThis.mermaid;
  m.initialize({ startOnLoad: false });
  const { svg } = await m.render('d1', text);
  return svg.match(/<svg[^>]*>/)[0] + '\n' + (svg.match(/<text[^>]*(Title|title)[^>]*>[^<]*<\/text>/g) ?? []).join('\n') + '\n' + (svg.match(/<text[^>]*>[^<]*<\/text>/g) ?? []).slice(0, 3).join('\n');
}, readFileSync(f, 'utf8'));
console.log(r);
}
await b.close();
