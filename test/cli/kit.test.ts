// The CLI kit (checker/cli/kit.ts, output.ts) as a user meets it: paths checked before the
// work starts, write errors as one line with exit 74, --workers capped at the core count,
// a progress line that fits the terminal and is erased, values cut in messages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/cli/exit.js';
import { cut, fitLine, invocation, parseCount, parseWorkers, progressDisplay, shellQuote } from '../../checker/cli/kit.js';
import { repoRoot } from '../specs/discover.js';

const counter = 'test/fixtures/specs/counter.spec.ts';
const dieHard = 'specs/examples/die-hard.spec.ts';

async function cli(argv: string[], io: Partial<Io> = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot, ...io });
  return { code, out, err };
}

function oneLine(r: { code: number; out: string; err: string }, code: number, ...mentions: RegExp[]) {
  expect(r.code, r.err).toBe(code);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
  expect(r.err).toMatch(/^migcheck: /);
  expect(r.err).not.toMatch(/\n\s+at |internal error/);
  for (const m of mentions) expect(r.err).toMatch(m);
}

/** Runs the real bin script with stdout on `fd` (or a pipe closed at once); resolves with the exit code and stderr. */
function bin(args: string[], stdout: number | 'closed-pipe'): Promise<{ code: number | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'migcheck.js'), ...args], { cwd: repoRoot, stdio: ['ignore', stdout === 'closed-pipe' ? 'pipe' : stdout, 'pipe'] });
    if (stdout === 'closed-pipe') child.stdout!.destroy();
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => done({ code, err }));
  });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'migcheck-kit-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('paths are checked before the work starts', () => {
  it('refuses an --out in a missing directory, a directory, or under /proc, before even loading the spec', async () => {
    // The spec does not exist: the --out error coming first shows the order.
    oneLine(await cli(['check', 'no/such.spec.ts', '--out', join(tmp, 'missing', 'r.json')]), EXIT.BAD_SPEC, /--out .*missing.* does not exist/);
    oneLine(await cli(['check', 'no/such.spec.ts', '--out', tmp]), EXIT.BAD_SPEC, /is a directory/);
    oneLine(await cli(['check', 'no/such.spec.ts', '--out', '/proc/self/report.json']), EXIT.BAD_SPEC, /under \/proc/);
  });

  it('refuses matrix --traces under /proc or on a file at once, without a search', async () => {
    const file = join(tmp, 'plain-file');
    writeFileSync(file, 'x');
    const t0 = Date.now();
    oneLine(await cli(['matrix', '--traces', '/proc/self/traces']), EXIT.BAD_SPEC, /--traces .*under \/proc/);
    oneLine(await cli(['matrix', '--traces', file]), EXIT.BAD_SPEC, /not a directory/);
    oneLine(await cli(['matrix', '--out', join(tmp, 'nope', 'm.txt')]), EXIT.BAD_SPEC, /does not exist/);
    expect(Date.now() - t0).toBeLessThan(60_000); // a guard against the old hang, not a timing claim
  });

  it('refuses --full with a format that has no use for it', async () => {
    oneLine(await cli(['check', counter, '--full', '--format', 'json']), EXIT.USAGE, /--full applies to/);
  });

  it('writes a good --out and says so on stderr', async () => {
    const out = join(tmp, 'r.json');
    const r = await cli(['check', counter, '--const', 'WRAP=true', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).status).toBe('ok');
  });
});

describe('write errors: one line, exit 74', () => {
  it('--out /dev/full', async () => {
    if (!existsSync('/dev/full')) return;
    oneLine(await cli(['check', counter, '--out', '/dev/full']), EXIT.IO_ERROR, /--out \/dev\/full: cannot write the report: ENOSPC/);
  });

  it('stdout on /dev/full (the real process)', async () => {
    if (!existsSync('/dev/full')) return;
    const fd = openSync('/dev/full', 'w');
    try {
      for (const args of [['check', dieHard], ['--version']]) {
        const r = await bin(args, fd);
        expect(r.code, args.join(' ')).toBe(EXIT.IO_ERROR);
        expect(r.err.trimEnd().split('\n')).toEqual(['migcheck: cannot write to standard output: ENOSPC (no space left on device)']);
      }
    } finally {
      closeSync(fd);
    }
  });

  it('stdout a pipe whose reader is gone (EPIPE)', async () => {
    const r = await bin(['check', dieHard], 'closed-pipe');
    expect(r.code).toBe(EXIT.IO_ERROR);
    expect(r.err.trimEnd().split('\n')).toEqual(['migcheck: cannot write to standard output: EPIPE (the reader closed the pipe)']);
  });
});

describe('--workers', () => {
  it('caps a number above the core count, with a warning', () => {
    const warned: string[] = [];
    expect(parseWorkers('999', (l) => warned.push(l), 2)).toBe(2);
    expect(warned).toEqual(['migcheck: --workers 999 is more than the 2 cores of this machine; using 2\n']);
    expect(parseWorkers('2', (l) => warned.push(l), 2)).toBe(2);
    expect(warned).toHaveLength(1);
  });

  it('the CLI warns and still checks', async () => {
    const r = await cli(['check', counter, '--const', 'WRAP=true', '--workers', '100000', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^migcheck: --workers 100000 is more than the \d+ cores? of this machine; using \d+\n$/);
  });
});

describe('progress line', () => {
  it('fits the width, redraws in place, erases cleanly, and is silent on a non-terminal', () => {
    let err = '';
    const p = progressDisplay({ err: (s) => void (err += s), errIsTTY: true, errColumns: 40 }, 'VeryLongSpecName N=3 DRIVER=mlx5-like USER=qemu-like');
    p.show('1,234,567 states (617,284/s), 5,000,000 generated, depth 17, 2 s');
    p.show('short');
    p.done();
    const frames = err.split('\r\x1b[K');
    expect(frames[0]).toBe('');
    for (const f of frames) expect([...f].length).toBeLessThanOrEqual(37); // room for an echoed '^C'
    expect(frames[1]).toMatch(/^VeryLongSpe.*…: 1,234,567 states/); // the prefix gives way to the figures
    expect(frames[2]).toMatch(/^VeryLongSpecName N=3 .*: short$/);
    expect(err.endsWith('\r\x1b[K')).toBe(true);
    // Given as parts, the last figures give way before the spec's name is cut below a third of the line.
    let parts = '';
    const r = progressDisplay({ err: (s) => void (parts += s), errIsTTY: true, errColumns: 80 }, 'VfioMigration UNITS=4 DRIVER=reference USER=adversarial FEATURES=all');
    r.show(['1,234,567 states', '5,000,000 generated', 'depth 17', '2 s', 'queue 4,321', '617,284 states/s']);
    expect(parts).toBe('\r\x1b[KVfioMigration UNITS=4 DRIVE…: 1,234,567 states, 5,000,000 generated, depth 17');
    let none = '';
    const q = progressDisplay({ err: (s) => void (none += s), errIsTTY: false }, 'x');
    q.show('y');
    q.done();
    expect(none).toBe('');
  });

  it('shows the spec and its constants from the start of a run on a terminal, and leaves nothing behind', async () => {
    const r = await cli(['check', dieHard, '--format', 'json'], { errIsTTY: true, errColumns: 80 });
    expect(r.err.startsWith('\r\x1b[KDieHard SMALL=3 BIG=5 GOAL=4: starting')).toBe(true);
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(r.out).status).toBe('violation');
  });
});

describe('kit helpers', () => {
  it('cuts long values in messages', async () => {
    const big = 'x'.repeat(100_000);
    expect(cut(big).length).toBeLessThan(120);
    const r = await cli(['check', counter, '--max-states', big]);
    oneLine(r, EXIT.USAGE, /\(100000 characters\)/);
    expect(r.err.length).toBeLessThan(300);
    expect(() => parseCount('--n', '1_000')).not.toThrow();
    expect(fitLine('abcdef', 4)).toBe('abc…');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('says how to start migcheck where the user is', () => {
    expect(invocation(repoRoot)).toEqual(['npx', 'migcheck']);
    const elsewhere = invocation(tmpdir());
    expect(elsewhere[0]).toBe('node');
    expect(elsewhere[1]).toMatch(/bin[/\\]migcheck\.js$/);
  });
});

describe('help', () => {
  it('`help NAME` of no command exits 2 with did-you-mean; a real one shows that command', async () => {
    oneLine(await cli(['help', 'chek']), EXIT.USAGE, /no command 'chek'; did you mean 'check'\?/);
    const r = await cli(['help', 'check']);
    expect(r.code).toBe(0);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(/--invariant <name> check only this invariant, action property or temporal property/);
  });

  it('no command at all shows the help on standard error and exits 2; asked-for help exits 0', async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(EXIT.USAGE);
    expect(bare.out).toBe('');
    expect(bare.err).toMatch(/^Usage: migcheck/);
    for (const argv of [['help'], ['--help']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/^Usage: migcheck/);
    }
  });

  it('matrix --help names each default once', async () => {
    const r = await cli(['matrix', '--help']);
    const wording = r.out.slice(r.out.indexOf('--wording'), r.out.indexOf('--drivers'));
    expect(wording.match(/default/g)).toHaveLength(1);
  });
});

describe('long values in messages', () => {
  it('a 100 KB constant value or option name gives a short line', async () => {
    const big = 'y'.repeat(100_000);
    for (const argv of [['check', counter, '--const', `WRAP=${big}`], ['check', counter, '--const', big], ['check', counter, `--${big}`, '1'], ['check', counter, '--format', big], [big]]) {
      const r = await cli(argv);
      expect(r.code).not.toBe(0);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err.length).toBeLessThan(600);
    }
  });
});
