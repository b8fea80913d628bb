// Stopping the CLI well (issue 14, item 1): SIGINT, SIGTERM and --time-limit give the
// statistics so far, status `incomplete`, the report where --out says and a documented
// exit code (130, 143, 15); a second Ctrl-C exits at once; --resume goes on from the
// checkpoint a stopped run wrote. The signal tests run the real process.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/cli/exit.js';
import { parseDuration, withStopSignals } from '../../checker/cli/stopping.js';
import { repoRoot } from '../specs/discover.js';

const bin = join(repoRoot, 'bin/migcheck.js');
const big = ['check', 'bench/models/counters.spec.ts', '--K', '7', '--M', '9'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migcheck-cli-stop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
  return { code, out, err };
}

/**
 * Runs the CLI as a process; once stderr says that the search has written its first
 * checkpoint (so the search is running), sends `signals`.
 */
function stopped(args: string[], signals: NodeJS.Signals[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let sent = false;
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!sent && err.includes('checkpoint written')) {
        sent = true;
        for (const s of signals) p.kill(s);
      }
    });
    p.stdout.resume();
    p.on('error', fail);
    p.on('close', (code, signal) => done({ code, signal, err }));
  });
}

describe('cli: stopping', () => {
  for (const [sig, code, reason] of [['SIGINT', EXIT.SIGINT, 'interrupted'], ['SIGTERM', EXIT.SIGTERM, 'terminated']] as const)
    for (const workers of ['1', '2'])
      it(`stops on ${sig} at --workers ${workers}: exit ${code}, the statistics so far in --out, a last checkpoint`, async () => {
        const out = join(dir, `${sig}-${workers}.json`);
        const ck = join(dir, `ck-${sig}-${workers}`);
        const r = await stopped([...big, '--workers', workers, '--format', 'json', '--out', out, '--checkpoint', ck, '--checkpoint-every', '1ms'], [sig]);
        expect(r.code, r.err).toBe(code);
        const doc = JSON.parse(readFileSync(out, 'utf8'));
        expect(doc.status).toBe('incomplete');
        expect(doc.reason).toBe(reason);
        expect(doc.exitCode).toBe(code);
        expect(doc.stats.distinct).toBeGreaterThan(0);
        expect(doc.stats.distinct).toBeLessThan(10_000_000);
        expect(r.err).toContain(`${sig}: stopping the search`);
        expect(existsSync(join(ck, 'search.ckpt'))).toBe(true);
      });

  it('removes the directory of the spilled stores when SIGTERM stops the run', async () => {
    const spill = join(dir, 'spill');
    mkdirSync(spill);
    const r = await stopped([...big, '--spill', 'always', '--spill-dir', spill, '--checkpoint', join(dir, 'ck-spill'), '--checkpoint-every', '1ms'], ['SIGTERM']);
    expect(r.code).toBe(EXIT.SIGTERM);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('stops with its report when SIGTERM comes twice at once, as timeout(1) sends it to the child and its group', async () => {
    const out = join(dir, 'twice.json');
    const ck = join(dir, 'ck-twice');
    const r = await stopped([...big, '--format', 'json', '--out', out, '--checkpoint', ck, '--checkpoint-every', '1ms'], ['SIGTERM', 'SIGTERM']);
    expect(r.code, r.err).toBe(EXIT.SIGTERM);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.status).toBe('incomplete');
    expect(doc.reason).toBe('terminated');
    expect(r.err).not.toContain('again: exiting at once');
  });

  it('exits at once on a second signal a moment later, not on the same one delivered twice (the handlers, run in this process)', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const notes: string[] = [];
    const before = process.listenerCount('SIGINT');
    try {
      const seen = await withStopSignals((s) => notes.push(s), async (signal) => {
        process.emit('SIGINT');
        expect(signal.aborted).toBe(true);
        expect(signal.reason).toBe('SIGINT');
        expect(exit).not.toHaveBeenCalled();
        // The same signal delivered twice at once (timeout(1) signals the child and its group) is one request.
        process.emit('SIGINT');
        expect(exit).not.toHaveBeenCalled();
        await new Promise((r) => setTimeout(r, 1100));
        process.emit('SIGINT');
        expect(exit).toHaveBeenCalledWith(EXIT.SIGINT);
        return signal.reason;
      });
      expect(seen).toBe('SIGINT');
      expect(notes.join('')).toContain('SIGINT again: exiting at once');
      // The handlers are gone once the run is over.
      expect(process.listenerCount('SIGINT')).toBe(before);
    } finally {
      exit.mockRestore();
    }
  });

  it('stops at --time-limit with exit 15 and writes the report in every format', async () => {
    for (const format of ['text', 'json', 'junit', 'github', 'plain', 'itf', 'mermaid']) {
      const out = join(dir, `limit.${format}`);
      const r = await cli([...big, '--time-limit', '0.2s', '--format', format, '--out', out]);
      expect(r.code, r.err).toBe(EXIT.TIME_LIMIT);
      expect(r.err).toContain('incomplete; report written');
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
      if (format === 'json') expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ status: 'incomplete', reason: 'time-limit', exitCode: 15 });
      if (format === 'text') expect(readFileSync(out, 'utf8')).toContain('--time-limit was reached');
    }
    const allowed = await cli([...big, '--time-limit', '200ms', '--allow-incomplete', '--format', 'json']);
    expect(allowed.code).toBe(EXIT.OK);
  });

  it('resumes from the checkpoint of a stopped run to the counts of a straight run', async () => {
    const ck = join(dir, 'ck-resume');
    const spec = ['check', 'bench/models/counters.spec.ts', '--K', '6', '--M', '9', '--format', 'json'];
    const first = await cli([...spec, '--time-limit', '0.3s', '--checkpoint', ck]);
    expect(first.code).toBe(EXIT.TIME_LIMIT);
    expect(first.err).toContain('checkpoint written');
    const resumed = await cli([...spec, '--resume', ck, '--workers', '2']);
    const straight = await cli(spec);
    expect(resumed.code).toBe(EXIT.OK);
    const a = JSON.parse(resumed.out).stats;
    const b = JSON.parse(straight.out).stats;
    expect([a.distinct, a.generated, a.depth]).toEqual([b.distinct, b.generated, b.depth]);
    const other = await cli(['check', 'bench/models/counters.spec.ts', '--K', '5', '--M', '9', '--resume', ck]);
    expect(other.code).toBe(EXIT.BAD_SPEC);
    expect(other.err).toMatch(/^migcheck: --resume .*checkpoint of another run: constant K: checkpoint 6, now 5\n$/);
  });

  it('refuses bad durations and options that need another, naming the option', async () => {
    for (const bad of ['5x', '1h30', 'm', '0s', '-3s', ''])
      expect(await cli(['check', 'test/fixtures/specs/counter.spec.ts', '--time-limit', bad])).toMatchObject({ code: EXIT.USAGE, out: '', err: expect.stringContaining('--time-limit expects a duration') });
    expect(await cli(['check', 'test/fixtures/specs/counter.spec.ts', '--checkpoint-every', '5m'])).toMatchObject({ code: EXIT.USAGE, err: 'migcheck: --checkpoint-every needs --checkpoint DIR (or --resume DIR)\n' });
    expect(await cli(['check', 'test/fixtures/specs/counter.spec.ts', '--resume', join(dir, 'nothing-here')])).toMatchObject({ code: EXIT.BAD_SPEC, err: expect.stringMatching(/^migcheck: --resume .*no checkpoint there\n$/) });
    // A directory that cannot hold checkpoints is refused before the search starts.
    expect(await cli(['check', 'test/fixtures/specs/counter.spec.ts', '--checkpoint', 'test/fixtures/specs/counter.spec.ts/ck'])).toMatchObject({ code: EXIT.BAD_SPEC, out: '', err: expect.stringMatching(/^migcheck: --checkpoint test\/fixtures\/specs\/counter.spec.ts\/ck: cannot write checkpoints there: part of the path is a file \(ENOTDIR\)\n$/) });
  });

  it('parses durations', () => {
    expect(parseDuration('x', '90s')).toBe(90_000);
    expect(parseDuration('x', '5m')).toBe(300_000);
    expect(parseDuration('x', '1h30m')).toBe(5_400_000);
    expect(parseDuration('x', '250ms')).toBe(250);
    expect(parseDuration('x', '2')).toBe(2000);
    expect(parseDuration('x', undefined)).toBeUndefined();
  });
});
