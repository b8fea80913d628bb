// docs/wording-lab.md shows commands with their actual output; this re-runs each of them
// and compares, so the documented tables and exit codes cannot drift from what the tool does.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from '../report/helpers.js';

const doc = readFileSync('docs/wording-lab.md', 'utf8');

interface Example {
  command: string;
  /** The lines the doc shows right after the command: a Markdown table, or a fenced block. */
  shown: string[];
  /** "Exit code N" in the paragraph after the output, when the doc states it. */
  exit?: number;
}

function examples(): Example[] {
  const out: Example[] = [];
  const re = /```sh\n(npx migcheck matrix [^\n]+)\n```\n\n/g;
  for (let m = re.exec(doc); m; m = re.exec(doc)) {
    const rest = doc.slice(m.index + m[0].length);
    let shown: string[];
    let after: string;
    if (rest.startsWith('|')) {
      const lines = rest.split('\n');
      const n = lines.findIndex((l) => !l.startsWith('|'));
      shown = lines.slice(0, n);
      after = lines.slice(n).join('\n');
    } else if (rest.startsWith('```\n')) {
      const end = rest.indexOf('\n```', 4);
      shown = rest.slice(4, end).split('\n');
      after = rest.slice(end + 4);
    } else continue;
    const exit = /^\s*Exit code (\d+)/.exec(after);
    out.push({ command: m[1], shown, exit: exit ? Number(exit[1]) : undefined });
  }
  return out;
}

const found = examples();

describe('docs/wording-lab.md', () => {
  it('shows the outputs of the 2022 debate commands (and a user wording)', () => {
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(found.map((e) => e.command).join('\n')).toMatch(/--wording v7-draft-2022-03[\s\S]*--wording v6\.2[\s\S]*--wording v1-2022-11[\s\S]*--diff/);
  });

  for (const e of found) {
    it(`matches what \`${e.command.replace('npx migcheck ', '')}\` prints`, async () => {
      const args = e.command.replace(/^npx migcheck /, '').split(/\s+/);
      const r = await runCli(args);
      const lines = r.out.split('\n');
      // The doc shows the first table of the output (Markdown), or the lines starting with its header (text).
      const start = lines.indexOf(e.shown[0]);
      expect(start, `output of ${e.command} lacks: ${e.shown[0]}\n${r.out}`).toBeGreaterThanOrEqual(0);
      expect(lines.slice(start, start + e.shown.length)).toEqual(e.shown);
      if (e.exit !== undefined) expect(r.code).toBe(e.exit);
    });
  }
});
