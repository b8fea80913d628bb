import { describe, it, expect } from 'vitest';
import { annotation, escapeData, escapeProperty, unescapeData, unescapeProperty } from '../../checker/report/github.js';
import { ANNOTATION_LINE, runCli } from './helpers.js';
import { AWKWARD_DOC } from './fixtures/awkward.spec.js';

describe('GitHub workflow command escaping', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties, percent first', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeData('%0A literal')).toBe('%250A literal');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('round-trips any text through the runner-side decoding', () => {
    const s = 'x: 1, y: 2\n%0A 100%\r\n::error::';
    expect(unescapeData(escapeData(s))).toBe(s);
    expect(unescapeProperty(escapeProperty(s))).toBe(s);
  });

  it('writes one line in the documented syntax', () => {
    const line = annotation({ level: 'warning', file: 'specs/a,b.ts', title: 'T: x, y', message: 'line 1\nline 2' });
    expect(line).toBe('::warning file=specs/a%2Cb.ts,title=T%3A x%2C y::line 1%0Aline 2');
    expect(line).toMatch(ANNOTATION_LINE);
  });
});

describe('--format github for check', () => {
  it('annotates a violation as an error on the spec file, with statement and trace in the message', async () => {
    const r = await runCli(['check', 'test/report/fixtures/awkward.spec.ts', '--format', 'github']);
    expect(r.code).toBe(12);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const m = ANNOTATION_LINE.exec(lines[0])!;
    expect(m, lines[0]).not.toBeNull();
    expect(m[1]).toBe('error');
    const props = Object.fromEntries(m[2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescapeProperty(p.slice(p.indexOf('=') + 1))]));
    expect(props.file).toBe('test/report/fixtures/awkward.spec.ts');
    expect(props.title).toBe('migcheck Awkward <&> "names": Invariant Quiet<&> is violated [FIX-1 MUST]');
    const message = unescapeData(m[3]);
    expect(message).toContain(`Statement: ${AWKWARD_DOC}`);
    expect(message).toContain('  1  src: SET_STATE(STOP_COPY; #1) = 0');
    expect(message).toContain('Reproduce: npx migcheck check test/report/fixtures/awkward.spec.ts');
  });

  it('gives a notice when everything holds, and an error when a bound stopped the search', async () => {
    const ok = await runCli(['check', 'specs/examples/die-hard.spec.ts', '--goal', '6', '--format', 'github']);
    expect(ok.code).toBe(0);
    expect(ok.out.trimEnd()).toMatch(ANNOTATION_LINE);
    expect(ok.out.startsWith('::notice ')).toBe(true);
    const cut = await runCli(['check', 'specs/examples/die-hard.spec.ts', '--goal', '6', '--max-depth', '2', '--format', 'github']);
    expect(cut.code).toBe(14);
    expect(cut.out.startsWith('::error ')).toBe(true);
    expect(unescapeData(cut.out)).toContain('nothing was proved');
  });
});

describe('--format github locations', () => {
  it('carries file= (relative to the working directory, also for an absolute spec path) and line= of the violated invariant', async () => {
    const { runCli } = await import('./helpers.js');
    const { resolve } = await import('node:path');
    const { readFileSync } = await import('node:fs');
    const spec = 'specs/examples/die-hard.spec.ts';
    const line = readFileSync(spec, 'utf8').split('\n').findIndex((l) => /^\s*BigNotGoal:/.test(l)) + 1;
    expect(line).toBeGreaterThan(1);
    for (const arg of [spec, resolve(spec)]) {
      const r = await runCli(['check', arg, '--format', 'github']);
      expect(r.code).toBe(12);
      expect(r.out).toMatch(new RegExp(`^::error file=${spec.replace(/\./g, '\\.')},line=${line},title=`));
    }
  });
});

describe('definition lines', () => {
  it('finds a property written on one line with others, not a mention in a comment or a longer name', async () => {
    const { definitionLine } = await import('../../checker/report/source.js');
    const src = [
      '// NotTwo: the counter never shows 2',
      "  actions: { Up: { next: (s) => { s.n += 1; } } },",
      '  invariants: { NotTwoOrThree: (s) => s.n < 2, NotTwo: (s) => s.n !== 2 },',
    ].join('\n');
    expect(definitionLine(src, 'NotTwo')).toBe(3);
    expect(definitionLine(src, 'Up')).toBe(2);
    expect(definitionLine(src, 'Down')).toBeUndefined();
  });
});
