// Renders `--format mermaid` output of real counterexamples with Mermaid itself, in headless
// Chromium, and checks that nothing of the picture falls outside the SVG's viewBox (an inline
// SVG clips what lies outside it, so a long note or title would be cut off where the diagram is
// shown, e.g. on GitHub). One browser serves every case.
//
// Needs a Chromium binary: /usr/bin/chromium (Debian's package) or the one named by $CHROMIUM.
// playwright-core downloads no browser; without one the tests are skipped, and their names say why.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { traceToSequence } from '../../checker/report/mermaid.js';
import type { TraceStep } from '../../checker/index.js';
import { runCli } from './helpers.js';

const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const skipped = hasChromium ? '' : ` (skipped: no Chromium at ${chromiumPath}; install one or set $CHROMIUM to its path)`;
const mermaidBundle = fileURLToPath(new URL('../../node_modules/mermaid/dist/mermaid.min.js', import.meta.url));

interface Box {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}
type Rendered = { ok: true; svg: Box; boxes: Box[] } | { ok: false; error: string };

// The little of the DOM the page function uses (the project compiles without lib "dom").
interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface Elem {
  tagName: string;
  textContent: string | null;
  innerHTML: string;
  viewBox: { baseVal: { width: number; height: number } };
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  closest(selector: string): Elem | null;
  querySelector(selector: string): Elem | null;
  querySelectorAll(selector: string): Iterable<Elem>;
  getBoundingClientRect(): Rect;
}
interface PageGlobals {
  document: { createElement(tag: string): Elem; body: { replaceChildren(...nodes: Elem[]): void } };
  mermaid: { initialize(config: object): void; parse(text: string): Promise<unknown>; render(id: string, text: string): Promise<{ svg: string }> };
}

/** Renders one diagram in the page and measures the SVG and each of its drawn elements, in page pixels. */
async function render(page: Page, id: string, text: string): Promise<Rendered> {
  return page.evaluate(
    async ({ id, text }) => {
      const { document, mermaid: m } = globalThis as unknown as PageGlobals;
      m.initialize({ startOnLoad: false, securityLevel: 'strict' });
      try {
        await m.parse(text);
        const { svg } = await m.render(id, text);
        const host = document.createElement('div');
        host.innerHTML = svg;
        document.body.replaceChildren(host);
        const root = host.querySelector('svg')!;
        // Drawn at the viewBox's own size, so one viewBox unit is one page pixel.
        const vb = root.viewBox.baseVal;
        root.removeAttribute('style');
        root.setAttribute('width', String(vb.width));
        root.setAttribute('height', String(vb.height));
        const box = (what: string, r: Rect) => ({ what, left: r.left, top: r.top, right: r.right, bottom: r.bottom });
        const boxes = [...root.querySelectorAll('text, rect, line, polygon')]
          .filter((el) => !el.closest('defs, marker, filter, clipPath, mask'))
          .map((el) => box(`<${el.tagName}${el.getAttribute('class') ? ` class="${el.getAttribute('class')}"` : ''}> ${(el.textContent ?? '').slice(0, 60)}`, el.getBoundingClientRect()))
          .filter((b) => b.right > b.left || b.bottom > b.top);
        return { ok: true as const, svg: box('svg', root.getBoundingClientRect()), boxes };
      } catch (e) {
        return { ok: false as const, error: String(e instanceof Error ? e.message : e) };
      }
    },
    { id, text },
  );
}

/** Fails unless the diagram rendered and every measured element lies inside the SVG. */
function expectInside(r: Rendered, text: string): void {
  if (!r.ok) throw new Error(`Mermaid could not render the diagram: ${r.error}\n${text}`);
  expect(r.boxes.filter((b) => b.what.startsWith('<text')).length).toBeGreaterThan(2);
  // Half a pixel of slack for rounding.
  const e = 0.5;
  const outside = r.boxes
    .filter((b) => b.left < r.svg.left - e || b.top < r.svg.top - e || b.right > r.svg.right + e || b.bottom > r.svg.bottom + e)
    .map((b) => `${b.what} [${b.left.toFixed(1)},${b.top.toFixed(1)} .. ${b.right.toFixed(1)},${b.bottom.toFixed(1)}]`);
  expect(outside, `outside the viewBox [${r.svg.left},${r.svg.top} .. ${r.svg.right},${r.svg.bottom}] of\n${text}`).toEqual([]);
}

// Real reports: an invariant counterexample, VFIO action-property counterexamples with long
// traces and long call/result labels and notes, liveness lassos (with their loop notes), and
// a run without a trace.
const cases: { name: string; argv: string[]; code: number }[] = [
  { name: 'TwoPhaseBroken invariant counterexample', argv: ['specs/examples/two-phase-broken.spec.ts'], code: 12 },
  { name: 'VFIO DATA-9: 12 steps across user, src and dst', argv: ['specs/vfio/broken-misses-p2p-dirty.spec.ts'], code: 12 },
  { name: 'VFIO FSM: long results in notes over one participant', argv: ['specs/vfio/fsm-broken-table.spec.ts'], code: 12 },
  { name: 'VFIO forgets initial data', argv: ['specs/vfio/broken-forgets-initial.spec.ts'], code: 12 },
  { name: 'VFIO DATA-10 liveness lasso (save hangs)', argv: ['specs/vfio/liveness-async-save.spec.ts', '--driver', 'broken-save-hangs'], code: 13 },
  { name: 'LockFairness liveness lasso with a loop note', argv: ['specs/examples/lock-fairness.spec.ts', '--fairness', 'weak'], code: 13 },
  { name: 'a run without a trace', argv: ['specs/examples/lock-fairness.spec.ts'], code: 0 },
  { name: 'labels with Mermaid-special characters', argv: ['test/report/fixtures/awkward.spec.ts'], code: 12 },
];

describe('--format mermaid renders without clipping', () => {
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!hasChromium) return;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidBundle });
  });
  afterAll(async () => {
    await browser?.close();
  });

  cases.forEach((c, i) => {
    it.skipIf(!hasChromium)(`${c.name}${skipped}`, async () => {
      const run = await runCli(['check', ...c.argv, '--format', 'mermaid']);
      expect(run.err).toBe('');
      expect(run.code).toBe(c.code);
      expectInside(await render(page, `case${i}`, run.out), run.out);
    });
  });

  it.skipIf(!hasChromium)(`extreme labels: unbreakable words, long calls and results, many participants${skipped}`, async () => {
    const step = (label: string): TraceStep => ({ action: 'A', label, state: {}, changed: [] });
    const text = traceToSequence(
      [
        step('Init'),
        step(`src: SET_STATE(${'STOP_COPY|'.repeat(8)}RUNNING) = -1 EINVAL (${'the driver refused the arc '.repeat(3)})`),
        step(`qemu: ${'x'.repeat(90)}`),
        step(`dst: write(4, [${'v1 '.repeat(30)}]) = 0`),
        step(`a: ${'an event of a participant with a long description '.repeat(3)}`),
        step('Z: z()'),
        step('a label without any prefix that runs on for quite a while, longer than a line'),
      ],
      { title: 'S'.repeat(100), finalNote: `VIOLATED: ${'because '.repeat(30)}` },
    );
    expectInside(await render(page, 'extreme', text), text);
  });

  it.skipIf(!hasChromium)(`reports a diagram Mermaid cannot parse${skipped}`, async () => {
    // The check above would be empty if rendering failed silently: a broken diagram must fail it.
    const r = await render(page, 'broken', 'sequenceDiagram\n  participant a as a\n  a->>: no target\n');
    expect(r.ok).toBe(false);
  });
});
