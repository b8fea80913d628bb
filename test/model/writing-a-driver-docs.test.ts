// docs/writing-a-driver.md walks a driver author through files and commands run from a
// directory outside the repository. This test does the same, in document order: it writes
// each file the page shows (```ts file=NAME) into a fresh temporary directory and runs each
// command (`npx migcheck …`) there with the real CLI (bin/migcheck.js, in a child process),
// then checks the exit code and that every line shown is a line of the real output, in
// order. A line `…` stands for lines left out; a `…` inside a line for any text; timings
// are not compared.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const doc = readFileSync(new URL('../../docs/writing-a-driver.md', import.meta.url), 'utf8');
const cli = fileURLToPath(new URL('../../bin/migcheck.js', import.meta.url));

type Step =
  | { kind: 'file'; name: string; text: string }
  | { kind: 'run'; command: string; shown: string[]; exit: number };

const steps: Step[] = [...doc.matchAll(/```ts file=(\S+)\n([\s\S]*?)\n```|```sh\n(npx migcheck [^\n]+)\n```\n\n```\n([\s\S]*?)\n```\n\nExit code (\d+)/g)]
  .map((m) => (m[1] !== undefined
    ? { kind: 'file', name: m[1], text: m[2] + '\n' }
    : { kind: 'run', command: m[3], shown: m[4].split('\n'), exit: Number(m[5]) }));

const untimed = (l: string) => l.replace(/\d+\.\d+ s/g, 'T s').replace(/, [\d,]+ distinct\/s/, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A shown line as a pattern: `…` inside it matches any text. */
const pattern = (l: string) => new RegExp(`^${untimed(l).split('…').map(escape).join('.*')}$`);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migcheck-writing-a-driver-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('docs/writing-a-driver.md, run from a directory outside the repository', () => {
  it('shows files and commands', () => {
    expect(steps.filter((s) => s.kind === 'file').map((s) => (s as { name: string }).name)).toEqual(['my-nic.mts', 'my-nic.mts', 'my-vmm.mts', 'not-a-driver.mts', 'not-a-driver.mts']);
    expect(steps.filter((s) => s.kind === 'run').length).toBe(7);
  });

  it('every command gives the exit code and the lines shown', () => {
    for (const s of steps) {
      if (s.kind === 'file') {
        writeFileSync(join(dir, s.name), s.text);
        continue;
      }
      const argv = s.command.replace(/^npx migcheck /, '').split(' ');
      const r = spawnSync(process.execPath, [cli, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
      const real = `${r.stdout}${r.stderr}`.split('\n').map(untimed);
      expect(r.status, `${s.command}\n${r.stdout}${r.stderr}`).toBe(s.exit);
      let at = 0;
      for (const line of s.shown) {
        if (line.trim() === '…') continue;
        const p = pattern(line);
        const i = real.findIndex((l, k) => k >= at && p.test(l));
        expect(i, `${s.command}: not in the output (in order): ${line}\n${real.join('\n')}`).toBeGreaterThanOrEqual(0);
        at = i + 1;
      }
    }
  }, 240_000);
});
