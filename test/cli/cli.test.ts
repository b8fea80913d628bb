// The CLI, run in-process through main(argv, io): exit codes, the JSON and ITF documents,
// text output, and one clear line for every kind of bad input.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main, type Io } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/cli/exit.js';
import { packageConfig } from '../../checker/cli/load.js';
import { progressLine } from '../../checker/report/text.js';
import { repoRoot } from '../specs/discover.js';

const FIX = 'test/fixtures/specs';
const counter = `${FIX}/counter.spec.ts`;

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI with captured output; not a terminal unless asked. */
async function cli(argv: string[], io: Partial<Io> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (s) => { out += s; },
    err: (s) => { err += s; },
    isTTY: false,
    errIsTTY: false,
    colorLevel: 0,
    cwd: repoRoot,
    ...io,
  });
  return { code, out, err };
}

async function json(argv: string[]): Promise<{ code: number; doc: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await cli([...argv, '--format', 'json']);
  expect(r.err).toBe('');
  return { code: r.code, doc: JSON.parse(r.out) };
}

/** A user error: the documented code, nothing on stdout, one line on stderr naming the culprit, no stack. */
function expectOneLine(r: Run, code: number, ...mentions: (string | RegExp)[]): void {
  expect(r.code, `exit code; stderr was: ${r.err}`).toBe(code);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n'), `stderr should be one line: ${r.err}`).toHaveLength(1);
  expect(r.err).toMatch(/^migcheck: /);
  expect(r.err).not.toMatch(/\n\s+at |internal error/);
  for (const m of mentions) expect(r.err).toMatch(m);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'migcheck-cli-'));
  // An ES module package, so that .ts files there load as the repository's do.
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(tmp, 'syntax.spec.ts'), "import { defineSpec } from 'migcheck';\nexport default defineSpec({ name: 'Broken', setup: () => ( });\n");
  mkdirSync(join(tmp, 'dir.spec.ts'));
  mkdirSync(join(tmp, 'with space'));
  writeFileSync(join(tmp, 'with space', 'tiny.spec.ts'), [
    `import { defineSpec, model, t } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'checker', 'index.ts')).href)};`,
    "export default defineSpec({ name: 'Tiny', constants: { GREETING: 'hi' },",
    "  setup: () => model({ state: t.bool(), init: false, actions: { Flip: { enabled: (s) => !s, next: () => true } } }) });",
  ].join('\n'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('exit codes', () => {
  it('exits 0 when every reachable state was explored and nothing broke', async () => {
    const r = await cli(['check', counter, '--const', 'WRAP=true']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });

  it('exits 11 on a deadlock and 0 with --no-deadlock', async () => {
    expect((await cli(['check', counter])).code).toBe(11);
    expect((await cli(['check', counter, '--no-deadlock'])).code).toBe(0);
  });

  it('exits 12 on an invariant violation, a TypeOK violation and an action-property violation', async () => {
    expect((await cli(['check', counter, '--wrap', 'true', '--avoid', '2'])).code).toBe(12);
    expect((await cli(['check', `${FIX}/typeok.spec.ts`])).code).toBe(12);
    expect((await cli(['check', 'specs/examples/two-phase-broken.spec.ts'])).code).toBe(12);
  });

  it('exits 13 when a temporal property is violated', async () => {
    expect((await cli(['check', `${FIX}/temporal.spec.ts`])).code).toBe(0);
    const r = await cli(['check', `${FIX}/temporal.spec.ts`, '--fair', 'false']);
    expect(r.code).toBe(13);
    expect(r.out).toContain('BackToZero');
  });

  it('exits 14 when a bound stops the search, and 0 only with --allow-incomplete', async () => {
    const r = await cli(['check', counter, '--wrap', 'true', '--max-states', '3']);
    expect(r.code).toBe(14);
    expect(r.out).toMatch(/incomplete/i);
    expect((await cli(['check', counter, '--wrap', 'true', '--max-depth', '2'])).code).toBe(14);
    expect((await cli(['check', counter, '--wrap', 'true', '--max-states', '3', '--allow-incomplete'])).code).toBe(0);
  });

  it('exits 75 when an action throws, naming the action, its parameter and the spec line', async () => {
    const r = await cli(['check', `${FIX}/throws.spec.ts`]);
    expect(r.code).toBe(75);
    expect(r.out).toMatch(/Action Jump\(2\) threw/);
    expect(r.out).toContain('cannot land on 2 (from 0 by 2)');
    expect(r.out).toMatch(/throws\.spec\.ts:\d+:\d+/);
    expect(r.out).not.toMatch(/checker[\\/]explore/); // the engine's frames are not the user's business
  });

  it('exits 2 for --help-less usage errors and 0 for --help and --version', async () => {
    expect((await cli(['--version'])).code).toBe(0);
    const help = await cli(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--max-states');
  });
});

describe('bad input: one line naming the culprit, the documented code, no stack trace', () => {
  it('a spec file that does not exist (150)', async () => {
    expectOneLine(await cli(['check', 'specs/nope.spec.ts']), 150, 'specs/nope.spec.ts', /not found/);
  });

  it('a directory given as the spec (150)', async () => {
    expectOneLine(await cli(['check', join(tmp, 'dir.spec.ts')]), 150, 'dir.spec.ts');
  });

  it('a module that is not a spec (150)', async () => {
    expectOneLine(await cli(['check', `${FIX}/not-a-spec.spec.ts`]), 150, 'not-a-spec.spec.ts', /defineSpec/);
  });

  it('a spec with a syntax error (150)', async () => {
    expectOneLine(await cli(['check', join(tmp, 'syntax.spec.ts')]), 150, 'syntax.spec.ts', /line 2:\d+: Unexpected/);
  });

  it('a spec whose setup throws (150)', async () => {
    expectOneLine(await cli(['check', `${FIX}/setup-throws.spec.ts`]), 150, 'setup-throws.spec.ts', 'SetupThrows', 'LIMIT must be set');
  });

  it('an unknown invariant (150), listing the known ones', async () => {
    expectOneLine(await cli(['check', counter, '--invariant', 'NotAvoid']), 150, "'NotAvoid'", 'NotAvoided');
  });

  it('a --const naming no constant (150)', async () => {
    expectOneLine(await cli(['check', counter, '--const', 'M=3']), 150, "'M'", 'N, WRAP, STEP, AVOID');
  });

  it.each([
    ['a number that is not one', 'N=three', "'three' is not a number"],
    ['a number below its minimum', 'N=0', 'below the minimum 1'],
    ['a number above its maximum', 'N=10', 'above the maximum 9'],
    ['a fraction for an integer', 'N=2.5', 'not an integer'],
    ['a boolean that is not one', 'WRAP=maybe', 'not a boolean'],
    ['a string outside its values', 'STEP=three', 'is not one of "one", "two"'],
    ['a number beyond the safe integers, echoed as typed', 'N=99999999999999999999', "'99999999999999999999' is too large"],
    ['a fraction, echoed as typed', 'N=2.50', "'2.50' is not an integer"],
    ['a long value on two lines, cut to one', `N=${'7'.repeat(100)}\nx`, `'${'7'.repeat(80)}… (103 characters)' is not a number`],
  ])('a --const with %s (150)', async (_what, pair, message) => {
    const name = pair.split('=')[0];
    expectOneLine(await cli(['check', counter, '--const', pair]), 150, `constant ${name}`, message);
  });

  it('a constant given as an option is checked the same way (150)', async () => {
    expectOneLine(await cli(['check', counter, '--n', '12']), 150, 'constant N', 'above the maximum 9');
  });

  it('a --const without NAME=VALUE (2)', async () => {
    expectOneLine(await cli(['check', counter, '--const', 'WRAP']), 2, '--const', "'WRAP'");
  });

  it('an unknown option (2), suggesting a near miss', async () => {
    expectOneLine(await cli(['check', counter, '--colour', 'x']), 2, "'--colour'", 'Counter');
    expectOneLine(await cli(['check', counter, '--max-state', '5']), 2, "'--max-state'", "did you mean '--max-states'");
    expectOneLine(await cli(['check', counter, '--bogus']), 2, "'--bogus'");
    // A misspelt constant given as an option: the suggestion is the constant's option.
    expectOneLine(await cli(['check', counter, '--wrpa', '3']), 2, "'--wrpa'", "did you mean '--wrap'");
  });

  it('a constant option without its value (2)', async () => {
    expectOneLine(await cli(['check', counter, '--wrap']), 2, "'--wrap'", 'constant WRAP', 'needs a value');
  });

  it.each([['0'], ['-5'], ['many'], ['1e6']])('a bad --max-states %s (2)', async (v) => {
    expectOneLine(await cli(['check', counter, '--max-states', v]), 2, '--max-states', `'${v}'`);
  });

  it('a bad --max-depth or --memory (2)', async () => {
    expectOneLine(await cli(['check', counter, '--max-depth', 'deep']), 2, '--max-depth');
    expectOneLine(await cli(['check', counter, '--memory', 'lots']), 2, '--memory', "'lots'");
  });

  it('a bad --spill, or --spill-dir with --spill never (2)', async () => {
    expectOneLine(await cli(['check', counter, '--spill', 'sometimes']), 2, '--spill', 'sometimes');
    expectOneLine(await cli(['check', counter, '--spill', 'never', '--spill-dir', '.']), 2, '--spill-dir', '--spill never');
  });

  it('an unknown format, command or extra argument (2)', async () => {
    expectOneLine(await cli(['check', counter, '--format', 'xml']), 2, "'xml'", 'json');
    expectOneLine(await cli(['frobnicate']), 2, "'frobnicate'");
    expectOneLine(await cli(['check', counter, counter]), 2, 'too many arguments');
  });

  it('an --out file that cannot be written (150)', async () => {
    expectOneLine(await cli(['check', counter, '--out', join(tmp, 'no', 'such', 'dir', 'r.json')]), 150, '--out');
  });

  it('a JavaScript spec that CommonJS rules make unloadable: one line with the fix, no Node warning first (150)', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = join(tmp, 'cjs-project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs', type: 'commonjs' }));
    writeFileSync(join(dir, 'my.spec.js'), "import { defineSpec } from 'migcheck';\nexport default defineSpec({});\n");
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'migcheck.js'), 'check', 'my.spec.js'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(150);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^migcheck: my\.spec\.js: cannot load the spec: .*name the file \.mjs, or add "type": "module"/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a constant given twice with two values (2); the same value twice is fine', async () => {
    expectOneLine(await cli(['check', counter, '--const', 'N=3', '--n', '4']), 2, 'N', 'twice');
    expect((await cli(['check', counter, '--const', 'N=3', '--n', '3'])).code).not.toBe(2);
  });

  it('--out or --dump naming the spec file itself (150), before anything is written', async () => {
    const never = { writeFile: () => { throw new Error('must not write'); } };
    expectOneLine(await cli(['check', counter, '--out', counter], never), 150, '--out', 'is the spec file being checked');
    expectOneLine(await cli(['check', counter, '--dump', 'dot', `./${counter}`], never), 150, '--dump', 'is the spec file being checked');
  });

  it('an option that --simulate would ignore (2)', async () => {
    expectOneLine(await cli(['check', counter, '--simulate', '--time-limit', '2s']), 2, '--time-limit', '--time');
    expectOneLine(await cli(['check', counter, '--simulate', '--max-states', '5']), 2, '--max-states');
  });

  it('a --dump file that cannot be written, before the search (150), and one failing at write time (74)', async () => {
    expectOneLine(await cli(['check', counter, '--dump', 'dot', join(tmp, 'no', 'such', 'dir', 'g.dot')]), 150, '--dump', 'does not exist');
    expectOneLine(await cli(['check', counter, '--dump', 'dot', '/proc/g.dot']), 150, '--dump', '/proc');
    const full = await cli(['check', counter, '--dump', 'dot', 'g.dot'], { writeFile: () => { throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); } });
    expect(full.code).toBe(74);
    expect(full.err).toMatch(/^migcheck: --dump g\.dot: cannot write the report: ENOSPC/m);
  });
});

describe('--format json', () => {
  it('describes a violation: status, stats, violation and the trace from Init', async () => {
    const { code, doc } = await json(['check', counter, '--const', 'WRAP=true', '--const', 'AVOID=2']);
    expect(code).toBe(12);
    expect(doc).toMatchObject({
      migcheck: 1,
      spec: { name: 'Counter', file: counter, constants: { N: 3, WRAP: true, STEP: 'one', AVOID: 2 } },
      status: 'violation',
      exitCode: 12,
      stats: { distinct: expect.any(Number), generated: expect.any(Number), depth: 3 },
      violation: { kind: 'invariant', name: 'NotAvoided', clause: 'CNT-1', level: 'MUST', doc: 'the counter never holds AVOID' },
    });
    expect(doc.trace.map((s: { action: string }) => s.action)).toEqual(['Init', 'Inc', 'Inc']);
    expect(doc.trace.map((s: { state: unknown }) => s.state)).toEqual([{ x: 0, wrapped: false }, { x: 1, wrapped: false }, { x: 2, wrapped: false }]);
    expect(doc.trace[2]).toMatchObject({ index: 2, label: 'Inc', changed: ['x'] });
    expect(doc.reproduce).toBe(`npx migcheck check ${counter} --const WRAP=true --const AVOID=2`);
  });

  it('gives the counts of an ok run and an empty trace', async () => {
    const { code, doc } = await json(['check', 'specs/examples/two-phase.spec.ts']);
    expect(code).toBe(0);
    expect(doc.status).toBe('ok');
    expect(doc.stats).toMatchObject({ distinct: 288, generated: 1146, depth: 11, queue: 0 });
    expect(doc.trace).toEqual([]);
    expect(doc).not.toHaveProperty('violation');
  });

  it('describes a deadlock, an incomplete run and an evaluation error', async () => {
    expect((await json(['check', counter])).doc).toMatchObject({ status: 'violation', exitCode: 11, violation: { kind: 'deadlock', name: 'Deadlock' } });
    expect((await json(['check', counter, '--wrap', 'true', '--max-states', '3'])).doc).toMatchObject({ status: 'incomplete', reason: 'max-states', exitCode: 14, stats: { distinct: 3 } });
    const err = (await json(['check', `${FIX}/throws.spec.ts`])).doc;
    expect(err).toMatchObject({ status: 'error', exitCode: 75, error: { phase: 'next', action: 'Jump', param: 2, message: 'cannot land on 2 (from 0 by 2)' } });
    expect(err.error).not.toHaveProperty('stack');
    expect(err.trace.map((s: { action: string }) => s.action)).toEqual(['Init']);
  });

  it('lists set members in domain order in trace states', async () => {
    const { doc } = await json(['check', `${FIX}/shapes.spec.ts`]);
    expect(doc.trace.at(-1).state.members).toEqual(['z']);
    const two = await json(['check', 'specs/examples/two-phase-broken.spec.ts', '--invariant', 'TCConsistent']);
    expect(two.doc.trace.at(-1).state.msgs).toEqual(['Prepared(r1)', 'Commit']);
  });
});

describe('--format itf (Apalache ADR-015)', () => {
  it('writes #meta, vars and one state per step with typed encodings', async () => {
    const r = await cli(['check', `${FIX}/shapes.spec.ts`, '--format', 'itf']);
    expect(r.code).toBe(12);
    const itf = JSON.parse(r.out);
    expect(itf['#meta']).toMatchObject({ format: 'ITF', source: `${FIX}/shapes.spec.ts`, violation: { kind: 'invariant', name: 'Small' } });
    expect(itf.vars).toEqual(['n', 'flag', 'mode', 'arr', 'pair', 'members']);
    expect(itf.states).toHaveLength(3);
    expect(itf.states[0]).toEqual({
      '#meta': { index: 0, action: 'Init', label: 'Init' },
      n: { '#bigint': '-2' },
      flag: false,
      mode: 'idle',
      arr: { '#map': [[{ '#bigint': '0' }, { '#bigint': '0' }], [{ '#bigint': '1' }, { '#bigint': '0' }]] },
      pair: { '#tup': ['a', { '#bigint': '0' }] },
      members: { '#set': [] },
    });
    expect(itf.states[2]).toMatchObject({
      '#meta': { index: 2, action: 'Work', label: 'Work(z)' },
      n: { '#bigint': '0' },
      mode: 'busy',
      arr: { '#map': [[{ '#bigint': '0' }, { '#bigint': '0' }], [{ '#bigint': '1' }, { '#bigint': '2' }]] },
      pair: { '#tup': ['b', { '#bigint': '2' }] },
      members: { '#set': ['z'] },
    });
    // Every key besides the variables is #meta, as ADR-015 requires.
    for (const s of itf.states) expect(Object.keys(s).sort()).toEqual(['#meta', ...itf.vars].sort());
  });

  it('writes an empty trace when nothing was violated', async () => {
    const itf = JSON.parse((await cli(['check', counter, '--wrap', 'true', '--format', 'itf'])).out);
    expect(itf.states).toEqual([]);
    expect(itf.vars).toEqual(['x', 'wrapped']);
  });
});

describe('--out', () => {
  it('writes the report to the file and only a note to stderr', async () => {
    const file = join(tmp, 'report.json');
    const r = await cli(['check', counter, '--format', 'json', '--out', file]);
    expect(r.code).toBe(11);
    expect(r.out).toBe('');
    expect(r.err).toBe(`migcheck: violation; report written to ${file}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ status: 'violation', violation: { kind: 'deadlock' } });
  });

  it('resolves a relative --out against the working directory', async () => {
    const r = await cli(['check', join(repoRoot, counter), '--out', 'out.txt'], { cwd: tmp });
    expect(r.code).toBe(11);
    expect(readFileSync(join(tmp, 'out.txt'), 'utf8')).toContain('Deadlock reached');
  });
});

describe('text output', () => {
  it('starts with the spec, its constants and a status line with counts', async () => {
    const r = await cli(['check', 'specs/examples/two-phase.spec.ts']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('migcheck TwoPhase (specs/examples/two-phase.spec.ts)  RMS=3');
    expect(lines[1]).toBe('✓ No error found: every reachable state was explored');
    expect(lines[2]).toMatch(/^ {2}288 distinct states, 1,146 generated, depth 11, \d+\.\d\d s$/);
    expect(lines[3]).toBe('  checked: TypeOK, TCConsistent, CommitOnlyWhenAllPrepared, Deadlock');
    expect(r.out).not.toContain('Reproduce');
  });

  it('shows each step with its label and only the variables that changed', async () => {
    const r = await cli(['check', 'specs/examples/two-phase-broken.spec.ts']);
    expect(r.out).toContain('✗ Invariant CommitOnlyWhenAllPrepared is violated');
    const trace = r.out.slice(r.out.indexOf('Trace (4 states, shortest):'));
    expect(trace.split('\n').slice(0, 15)).toEqual([
      'Trace (4 states, shortest):',
      '  0  Init',
      '       rmState[0] = "working"',
      '       rmState[1] = "working"',
      '       rmState[2] = "working"',
      '       tmState = "init"',
      '       tmPrepared = []',
      '       msgs = []',
      '  1  RMPrepare(r1)',
      '       rmState[0] = "prepared"',
      '       msgs = ["Prepared(r1)"]',
      '  2  TMRcvPrepared(r1)',
      '       tmPrepared = [0]',
      '  3  TMCommit',
      '       tmState = "committed"',
    ]);
  });

  it('shows whole states with --full', async () => {
    const r = await cli(['check', 'specs/examples/two-phase-broken.spec.ts', '--full']);
    const step3 = r.out.slice(r.out.indexOf('  3  TMCommit'));
    expect(step3.split('\n').slice(1, 7).map((l) => l.trim())).toEqual([
      'rmState[0] = "prepared"',
      'rmState[1] = "working"',
      'rmState[2] = "working"',
      'tmState = "committed"',
      'tmPrepared = [0]',
      'msgs = ["Prepared(r1)","Commit"]',
    ]);
  });

  it('ends a failed run with the command that reproduces it, and that command does', async () => {
    const r = await cli(['check', counter, '--avoid=2', '--wrap', 'yes', '--invariant', 'NotAvoided', '--max-depth', '9']);
    const line = r.out.trimEnd().split('\n').at(-1)!;
    expect(line).toBe(`Reproduce: npx migcheck check ${counter} --const AVOID=2 --const WRAP=yes --invariant NotAvoided --max-depth 9`);
    const again = await cli(line.replace('Reproduce: npx migcheck ', '').split(' '));
    expect(again.code).toBe(r.code);
    expect(again.out.replace(/\d+\.\d\d s/g, '')).toBe(r.out.replace(/\d+\.\d\d s/g, ''));
  });

  it('quotes what the shell would split in the reproduce command', async () => {
    const r = await cli(['check', join(tmp, 'with space', 'tiny.spec.ts'), '--const', 'GREETING=hello world']);
    expect(r.code).toBe(11);
    const line = r.out.trimEnd().split('\n').at(-1)!;
    expect(line).toBe(`Reproduce: npx migcheck check '${join(tmp, 'with space', 'tiny.spec.ts')}' --const 'GREETING=hello world'`);
  });

  it('uses no colour and writes no progress line when output is not a terminal', async () => {
    const r = await cli(['check', 'specs/examples/two-phase.spec.ts', '--const', 'RMS=5']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
    expect(r.err).toBe('');
  });

  it('colours a terminal unless --no-color', async () => {
    const tty = { isTTY: true, colorLevel: 1 as const };
    expect((await cli(['check', counter], tty)).out).toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
    expect((await cli(['check', counter, '--no-color'], tty)).out).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
  });

  it('formats the live progress line with states, depth, time, queue and rate', () => {
    expect(progressLine({ distinct: 1_234_567, generated: 5_000_000, queue: 4321, depth: 17, seconds: 2 }))
      .toBe('1,234,567 states, 5,000,000 generated, depth 17, 2 s, queue 4,321, 617,284 states/s');
  });
});

describe('list', () => {
  it('lists constants with defaults and domains, actions, invariants and properties', async () => {
    const r = await cli(['list', counter]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Counter (test/fixtures/specs/counter.spec.ts)');
    expect(r.out).toContain('  N = 3  (default 3; 1..9)  largest value');
    expect(r.out).toContain('  STEP = one  (default one; "one" | "two")');
    expect(r.out).toMatch(/Actions:\n {2}Inc\n {2}Wrap\n/);
    expect(r.out).toMatch(/Invariants:\n {2}TypeOK .*\n {2}NotAvoided \[CNT-1 MUST\]/);
    expect(r.out).toMatch(/Action properties:\n {2}\(none\)/);
  });

  it('lists temporal properties with their form and the fairness assumed', async () => {
    const r = await cli(['list', `${FIX}/temporal.spec.ts`]);
    expect(r.out).toMatch(/Temporal properties:\n {2}BackToZero \(\[\]<>p\) {2}the counter is 0 infinitely often\n {2}under WF\(Tick\)\n/);
    expect((await cli(['list', counter])).out).not.toContain('Temporal properties');
  });

  it('shows overridden constants and counts parameter values', async () => {
    const r = await cli(['list', 'specs/examples/two-phase.spec.ts', '--rms', '4']);
    expect(r.out).toContain('RMS = 4  (default 3; 1..8)');
    expect(r.out).toContain('TMRcvPrepared (4 parameter values)');
  });

  it('lists the default spec when none is given', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(packageConfig().defaultSpec!);
  });

  it('reports a bad spec like check does', async () => {
    expectOneLine(await cli(['list', `${FIX}/not-a-spec.spec.ts`]), 150, 'not-a-spec.spec.ts');
  });
});
