// `migcheck matrix` in-process: exit codes, formats, trace files, --diff, user profiles.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANNOTATION_LINE, expectValidJUnit, findAll, runCli } from '../report/helpers.js';
import { unescapeData } from '../../checker/index.js';

const FIXTURES = 'test/model/fixtures/wordings';
// The size these tests were written at (the matrix's default before it grew to 2 units x 2 versions).
const SMALL = ['--units', '1', '--max-version', '1', '--no-reinit'];

describe('migcheck matrix exit codes', () => {
  it('exits 12 on a MUST-level violation', async () => {
    const r = await runCli(['matrix', '--wording', 'v1-2022-11', '--drivers', 'static-header-like', '--users', 'qemu-like', ...SMALL]);
    expect(r.code).toBe(12);
    expect(r.out).toContain('exit 12: a MUST-level clause is violated');
  });

  it('exits 0 with only SHOULD/REC findings, and 10 with --strict', async () => {
    const args = ['matrix', '--wording', 'v6.2', '--drivers', 'static-header-like', '--users', 'qemu-like', ...SMALL];
    const plain = await runCli(args);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/static-header-like \/ qemu-like .*✗ SHOULD driver/);
    const strict = await runCli([...args, '--strict']);
    expect(strict.code).toBe(10);
  });

  it('exits 14 when a bound stops a search, never 0', async () => {
    const r = await runCli(['matrix', '--wording', 'v6.2', '--drivers', 'reference', '--users', 'adversarial', '--max-states', '20', ...SMALL]);
    expect(r.code).toBe(14);
    expect(r.out).toContain('undecided');
  });

  it.each([
    [['--drivers', 'nvidia'], 150, /unknown driver 'nvidia'; known drivers: reference/],
    [['--users', 'libvirt'], 150, /unknown user 'libvirt'/],
    [['--wording', `${FIXTURES}/wording-bad-level.json`], 150, /wording-bad-level.json: wording bad: clause DATA-9/],
    [['--diff', 'v6.2'], 2, /--diff takes exactly two wordings/],
    [['--units', 'zero'], 2, /--units expects a positive whole number/],
    [['--diff', 'v6.2', 'v1-2022-11', '--format', 'junit'], 2, /--diff reports in text, json, markdown/],
  ])('rejects bad input %j with a one-line message and exit %i', async (extra, code, message) => {
    const r = await runCli(['matrix', '--drivers', 'reference', '--users', 'adversarial', ...SMALL, ...extra]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('migcheck matrix formats', () => {
  const args = ['matrix', '--wording', 'v7-draft-2022-03', '--drivers', 'vgpu-framebuffer,static-header-like', '--users', 'adversarial', ...SMALL];

  it('json: one row per pair, one cell per clause, traces of the findings', async () => {
    const r = await runCli([...args, '--format', 'json']);
    const doc = JSON.parse(r.out);
    expect(doc.wording.name).toBe('v7-draft-2022-03');
    expect(doc.rows.map((x: { driver: string }) => x.driver)).toEqual(['vgpu-framebuffer', 'static-header-like']);
    const vgpu = doc.rows[0].cells.find((c: { key: string }) => c.key === 'PRECOPY-8');
    expect(vgpu).toMatchObject({ verdict: 'violated', level: 'SHOULD', party: 'kernel/driver' });
    expect(vgpu.trace.at(-1).label).toMatch(/SET_STATE\(STOP_COPY\)/);
    expect(doc.exitCode).toBe(r.code);
  });

  it('junit: a well-formed document with a suite per pair and a test case per clause', async () => {
    const r = await runCli([...args, '--format', 'junit']);
    const root = expectValidJUnit(r.out);
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['v7-draft-2022-03: vgpu-framebuffer / adversarial', 'v7-draft-2022-03: static-header-like / adversarial']);
    for (const s of suites) expect(findAll(s, 'testcase')).toHaveLength(10);
    const trailer = findAll(suites[0], 'testcase').find((c) => c.attrs.name.startsWith('PRECOPY-8 '))!;
    // A SHOULD-level finding does not fail CI without --strict, but it is not hidden either.
    expect(trailer.children.map((x) => x.name)).toContain('skipped');
    const mandatory = findAll(suites[0], 'testcase').find((c) => c.attrs.name.startsWith('PRECOPY-4 '))!;
    const failure = mandatory.children.find((x) => x.name === 'failure')!;
    expect(failure.attrs.type).toBe('MUST');
    expect(failure.text).toContain('Statement: The initial data set is mandatory');
    expect(failure.text).toMatch(/Trace \(\d+ states, shortest\):/);
    const strict = await runCli([...args, '--format', 'junit', '--strict']);
    const t2 = findAll(expectValidJUnit(strict.out), 'testcase').find((c) => c.attrs.name.startsWith('PRECOPY-8 '))!;
    expect(t2.children.map((x) => x.name)).toContain('failure');
  });

  it('github: one annotation per finding in the documented syntax, errors for MUST, warnings for SHOULD', async () => {
    const r = await runCli([...args, '--format', 'github']);
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(ANNOTATION_LINE);
    const levels = lines.map((l) => ANNOTATION_LINE.exec(l)![1]);
    expect(levels.filter((x) => x === 'error')).toHaveLength(2); // PRECOPY-4 for both pairs
    expect(levels.filter((x) => x === 'warning')).toHaveLength(2); // PRECOPY-8 (vgpu), PRECOPY-11 (static)
    const trailer = lines.find((l) => l.includes('PRECOPY-8 SHOULD violated by vgpu-framebuffer'))!;
    expect(unescapeData(ANNOTATION_LINE.exec(trailer)![3])).toContain('src: SET_STATE(STOP_COPY) = 0');
  });

  it('markdown: a table with a header row, a separator and one row per pair', async () => {
    const r = await runCli([...args, '--format', 'markdown']);
    const table = r.out.split('\n').filter((l) => l.startsWith('| '));
    expect(table[0]).toBe('| driver / user | DATA-9 (MUST) | DATA-7 (MUST) | DATA-8 (MUST NOT) | FSM-2 (MUST) | SAVE-2 (MUST) | PRECOPY-2 (MUST) | PRECOPY-5 (SHOULD) | PRECOPY-11 (SHOULD) | PRECOPY-8 (SHOULD) | PRECOPY-4 (MUST) |');
    expect(r.out).toContain('| vgpu-framebuffer / adversarial |');
    expect(r.out).toContain('**violated** (SHOULD, kernel/driver)');
  });
});

describe('migcheck matrix --traces', () => {
  it('writes one text and one ITF file per violated or exercised cell; the text is mail-ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-traces-'));
    try {
      const r = await runCli(['matrix', '--wording', 'v6.2', '--drivers', 'vgpu-framebuffer', '--users', 'qemu-like', '--traces', dir, '--format', 'json', ...SMALL]);
      const doc = JSON.parse(r.out);
      const found = doc.rows[0].cells.filter((c: { verdict: string }) => c.verdict === 'violated' || c.verdict === 'exercised');
      expect(found.length).toBeGreaterThan(0);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(2 * found.length);
      for (const c of found) {
        const base = `v6.2--vgpu-framebuffer--qemu-like--${c.key}`;
        expect(files).toContain(`${base}.txt`);
        const text = readFileSync(join(dir, `${base}.txt`), 'utf8');
        for (const line of text.split('\n')) expect(line, line).toMatch(/^[\x20-\x7e]{0,72}$/);
        expect(text).toContain(`${c.key} (${c.level}, ${c.party})`);
        // The reproducing command is wrapped with shell continuations; joined, it checks just this pair.
        expect(text.replace(/ ?\\\n\s*/g, ' ')).toContain('npx migcheck matrix --wording v6.2 --drivers vgpu-framebuffer --users qemu-like --units 1');
        const itf = JSON.parse(readFileSync(join(dir, `${base}.itf.json`), 'utf8'));
        expect(itf.states).toHaveLength(c.trace.length);
        expect(itf.vars).toEqual(['src', 'dst', 'link', 'user', 'hung', 'fds', 'lastSet']);
        expect(c.file).toBe(join(dir, `${base}.txt`));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migcheck matrix --diff', () => {
  it('lists what the March 2022 draft forbids and v6.2 permits, with a witness trace each', async () => {
    const r = await runCli(['matrix', '--diff', 'v7-draft-2022-03', 'v6.2', '--drivers', 'vgpu-framebuffer,static-header-like', '--users', 'qemu-like', '--format', 'json', ...SMALL]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const d = doc.differences as { driver: string; clause: string; levelA: string | null; levelB: string | null; stricter: string; trace: { label: string }[] }[];
    const trailer = d.find((x) => x.clause === 'PRECOPY-8')!;
    expect(trailer).toMatchObject({ driver: 'vgpu-framebuffer', levelA: 'SHOULD', levelB: 'MAY', stricter: 'A' });
    expect(trailer.trace.at(-1)!.label).toMatch(/SET_STATE\(STOP_COPY\)/);
    // The tiny-state driver's trailer is not a difference: neither text objects to it.
    expect(d.some((x) => x.clause === 'PRECOPY-8' && x.driver === 'static-header-like')).toBe(false);
    expect(d.filter((x) => x.clause === 'PRECOPY-4').map((x) => [x.levelA, x.levelB])).toEqual([['MUST', 'MAY'], ['MUST', 'MAY']]);
    // PRECOPY-6 is only in v6.2 (REC): silent in A, recommended against in B.
    expect(d.find((x) => x.clause === 'PRECOPY-6')).toMatchObject({ levelA: null, levelB: 'REC', stricter: 'B' });
  });
});

describe('a wording written by a spec author', () => {
  it('runs from a JSON file and turns the trailer sentence into a MUST-level failure', async () => {
    const r = await runCli(['matrix', '--wording', `${FIXTURES}/wording-strict-trailer.json`, '--drivers', 'vgpu-framebuffer,static-header-like', '--users', 'qemu-like', ...SMALL]);
    expect(r.code).toBe(12);
    expect(r.out).toContain(`wording v7-strict-trailer (${FIXTURES}/wording-strict-trailer.json)`);
    expect(r.out).toMatch(/vgpu-framebuffer \/ qemu-like: PRECOPY-8 MUST broken by the driver/);
    expect(r.out).not.toMatch(/static-header-like \/ qemu-like: PRECOPY-8/);
  });

  it('runs from a TypeScript file with a clause of its own', async () => {
    const r = await runCli(['matrix', '--wording', `${FIXTURES}/wording-own-clause.ts`, '--drivers', 'vgpu-framebuffer,static-header-like', '--users', 'qemu-like', '--format', 'json', ...SMALL]);
    const doc = JSON.parse(r.out);
    const own = (i: number) => doc.rows[i].cells.find((c: { key: string }) => c.key === 'SIZE-LIMIT');
    expect(own(0)).toMatchObject({ verdict: 'violated', level: 'SHOULD' }); // 64 records of framebuffer
    expect(own(1)).toMatchObject({ verdict: 'holds' });
  });
});
