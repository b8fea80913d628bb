// Spec files are type-checked before they run (checker/cli/typecheck.ts): a misspelt field
// is an error naming file, line and field; --no-typecheck (or MIGCHECK_NO_TYPECHECK=1)
// skips it; a spec that type-checks runs as before; the result is cached by content.

import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/cli/exit.js';
import { repoRoot } from '../specs/discover.js';

let tmp: string;
let bad: string;
const saved = process.env.MIGCHECK_NO_TYPECHECK;

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, errIsTTY: false, colorLevel: 0, cwd: tmp });
  return { code, out, err };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'migcheck-tc-'));
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ type: 'module' }));
  // die-hard with the invariant reading a field the state does not have.
  const src = readFileSync(join(repoRoot, 'specs/examples/die-hard.spec.ts'), 'utf8')
    .replace("'../../checker/index.js'", JSON.stringify(join(repoRoot, 'checker/index.ts')))
    .replace('s.big !== GOAL', 's.count !== GOAL');
  bad = join(tmp, 'bad.spec.ts');
  writeFileSync(bad, src);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => {
  delete process.env.MIGCHECK_NO_TYPECHECK;
});
afterEach(() => {
  if (saved === undefined) delete process.env.MIGCHECK_NO_TYPECHECK;
  else process.env.MIGCHECK_NO_TYPECHECK = saved;
});

describe('type-checked specs', () => {
  it('refuses a misspelt field with file, line, column and the field, before running', async () => {
    const line = readFileSync(bad, 'utf8').split('\n').findIndex((l) => l.includes('s.count')) + 1;
    const r = await cli(['check', 'bad.spec.ts']);
    expect(r.code).toBe(EXIT.BAD_SPEC);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`^migcheck: bad\\.spec\\.ts:${line}:\\d+: type error: Property 'count' does not exist`));
    // list type-checks too.
    expect((await cli(['list', 'bad.spec.ts'])).code).toBe(EXIT.BAD_SPEC);
  });

  it('--no-typecheck and MIGCHECK_NO_TYPECHECK=1 run it anyway (here: a silent pass, which is why the check exists)', async () => {
    const r = await cli(['check', 'bad.spec.ts', '--no-typecheck']);
    expect(r.code, r.err).toBe(EXIT.OK);
    process.env.MIGCHECK_NO_TYPECHECK = '1';
    expect((await cli(['check', 'bad.spec.ts'])).code).toBe(EXIT.OK);
  });

  it('lets a spec that type-checks run, and remembers that for unchanged files', async () => {
    const good = join(tmp, 'good.spec.ts');
    writeFileSync(good, readFileSync(bad, 'utf8').replace('s.count !== GOAL', 's.big !== GOAL'));
    const first = await cli(['check', 'good.spec.ts']);
    expect(first.code, first.err).toBe(EXIT.VIOLATION);
    const again = await cli(['check', 'good.spec.ts']);
    expect(again.code).toBe(EXIT.VIOLATION);
    // Changing the file makes it checked again: now with the error.
    writeFileSync(good, readFileSync(bad, 'utf8'));
    expect((await cli(['check', 'good.spec.ts'])).code).toBe(EXIT.BAD_SPEC);
  });
});
