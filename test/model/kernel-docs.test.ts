// docs/vfio-model.md ("The deployed-kernel hang, found") shows three commands with their
// output; this re-runs each and checks that every line shown is a line of the real output
// (in order), apart from the elisions (lines starting with …) and the timing figures.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../../checker/cli/main.js';
import { repoRoot } from '../specs/discover.js';

const doc = readFileSync(new URL('../../docs/vfio-model.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('### The deployed-kernel hang, found'), doc.indexOf('\n## Data path'));

async function run(command: string): Promise<{ code: number; out: string }> {
  let out = '';
  const argv = command.replace(/^npx migcheck /, '').split(' ');
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { out += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
  return { code, out };
}

/** Seconds vary from run to run; everything else must match. */
const untimed = (l: string) => l.replace(/\d+\.\d+ s/g, 'T s');

const examples = [...section.matchAll(/```sh\n(npx migcheck [^\n]+)\n```\n\n```\n([\s\S]*?)\n```\n\nExit code (\d+)/g)]
  .map((m) => ({ command: m[1], shown: m[2].split('\n'), exit: Number(m[3]) }));

describe('docs/vfio-model.md: the deployed-kernel hang', () => {
  it('shows three commands', () => {
    expect(examples.map((e) => e.command)).toEqual([
      'npx migcheck fsm --kernel v6.2 --features P2P,PRE_COPY',
      'npx migcheck check specs/vfio/fsm.spec.ts --kernel v6.2',
      'npx migcheck check --kernel v6.2',
    ]);
  });

  for (const e of examples) {
    it(e.command, async () => {
      const r = await run(e.command);
      expect(r.code).toBe(e.exit);
      const real = r.out.split('\n').map(untimed);
      let at = 0;
      for (const line of e.shown) {
        if (line.trimStart().startsWith('…')) continue;
        const i = real.indexOf(untimed(line), at);
        expect(i, `not in the output (in order): ${line}`).toBeGreaterThanOrEqual(0);
        at = i + 1;
      }
    });
  }
});
