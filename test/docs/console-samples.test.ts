// The pages under docs/ and the README paste terminal sessions: a fenced block whose lines
// starting with `$ npx migcheck` are commands and whose other lines are what they printed.
// This test runs every such block as a new user would, in a fresh directory outside the
// repository that has migcheck installed (node_modules/migcheck is this checkout, so
// `npx migcheck` finds it and specs import 'migcheck'; `specs/` and `test/` are linked in, so
// the paths the pages use resolve), after writing each file the page shows in a fence marked
// ```ts file=NAME. Paths into the checkout (the built-in default spec's) print relative. Every line shown must be a line of the real
// output, in order. A line `…` stands for lines left out, a `…` inside a line for any text;
// times and rates (`0.01 s`, `1,940 distinct/s`, `28,428 steps/s`) are not compared. The
// commands other than migcheck in a block (`head`, `grep`) run in the same shell.
//
// The pages with their own sample tests (docs/replay.md: test/model/replay/docs.test.ts;
// the ```sh + output + "Exit code N" examples of docs/vfio-model.md, docs/wording-lab.md and
// docs/writing-a-driver.md) use other block shapes, so no block is run twice.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'bin/migcheck.js');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Command {
  readonly command: string;
  readonly shown: readonly string[];
}
interface Page {
  readonly page: string;
  readonly files: readonly { name: string; text: string }[];
  readonly sessions: readonly (readonly Command[])[];
}

/** The files a page writes and its terminal sessions, in document order. */
function readPage(page: string): Page {
  const text = readFileSync(join(root, page), 'utf8');
  const files = [...text.matchAll(/^```ts file=(\S+)\n([\s\S]*?)\n```$/gm)].map((m) => ({ name: m[1], text: m[2] + '\n' }));
  const sessions: Command[][] = [];
  for (const m of text.matchAll(/^```(?:console)?\n(\$ npx migcheck [\s\S]*?)\n```$/gm)) {
    const session: { command: string; shown: string[] }[] = [];
    for (const line of m[1].split('\n')) {
      if (line.startsWith('$ ')) session.push({ command: line.slice(2), shown: [] });
      else session.at(-1)!.shown.push(line);
    }
    sessions.push(session);
  }
  return { page, files, sessions };
}

const untimed = (l: string) =>
  l.replace(/\d+\.\d+ s\b/g, 'T s').replace(/[\d,]+ (distinct|steps)\/s/g, 'N $1/s').trimEnd();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A shown line as a pattern: `…` inside it matches any text. */
const pattern = (l: string) => new RegExp(`^${untimed(l).split('…').map(escape).join('.*')}$`);

const withSessions = pages.map(readPage).filter((p) => p.sessions.length > 0);

describe('terminal sessions pasted in the docs', () => {
  it('are found where the pages paste them', () => {
    expect(withSessions.map((p) => p.page)).toEqual(expect.arrayContaining(['docs/cli.md', 'docs/writing-specs.md']));
  });

  for (const p of withSessions) {
    describe(p.page, () => {
      let dir = '';
      beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), 'migcheck-doc-'));
        mkdirSync(join(dir, 'node_modules'));
        symlinkSync(root, join(dir, 'node_modules', 'migcheck'));
        symlinkSync(join(root, 'specs'), join(dir, 'specs'));
        symlinkSync(join(root, 'test'), join(dir, 'test'));
        for (const f of p.files) writeFileSync(join(dir, f.name), f.text);
      });
      afterAll(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      p.sessions.forEach((session, k) => {
        it(`session ${k + 1}: ${session.map((c) => c.command).join(' ; ')}`, () => {
          for (const c of session) {
            const sh = c.command.replace(/\bnpx migcheck\b/g, `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}`);
            const r = spawnSync('sh', ['-c', `${sh} 2>&1`], {
              cwd: dir,
              encoding: 'utf8',
              env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '' },
              timeout: 120_000,
            });
            const real = r.stdout.split(root).join('').split('\n').map(untimed);
            let at = 0;
            for (const line of c.shown) {
              if (line.trim() === '…' || line.trim() === '') continue;
              const re = pattern(line);
              const i = real.findIndex((l, j) => j >= at && re.test(l));
              expect(i, `\`${c.command}\` (${p.page}) did not print, in order:\n${line}\n--- it printed:\n${r.stdout}`).toBeGreaterThanOrEqual(0);
              at = i + 1;
            }
          }
        });
      });
    });
  }
});
