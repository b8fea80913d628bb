// `migcheck replay`: every counterexample the specs in specs/vfio/ print fails at its last
// step; the hand-written broken logs depart at the right event with the right clause; runs
// of the model exported to each format conform; malformed input is one line per problem with
// its exit code. The CLI runs in-process.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, expectValidJUnit, ANNOTATION_LINE } from '../../report/helpers.js';
import { loadSpec } from '../../../checker/cli/load.js';
import { parseTraceJson, toJsonl, toStrace, toQemuTrace, readTrace } from '../../../model/replay/index.js';

const FIX = 'test/fixtures/replay';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migcheck-replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { outcome: string; index?: number; explanation?: { property?: string; clause?: string; party?: string }; owed?: string[] }
interface Doc { outcome: string; exitCode: number; devices: { device: string; outcome: string; conforming: string[]; runs: Run[] }[] }

async function replayJson(args: readonly string[]): Promise<{ code: number; doc: Doc; err: string }> {
  const r = await runCli(['replay', ...args, '--format', 'json']);
  return { code: r.code, doc: JSON.parse(r.out) as Doc, err: r.err };
}

/** Every violation a spec in specs/vfio/ expects, as `check` arguments. */
async function counterexampleRuns(): Promise<{ name: string; args: string[]; kind: string; property: string }[]> {
  const out: { name: string; args: string[]; kind: string; property: string }[] = [];
  for (const f of readdirSync('specs/vfio').filter((x) => x.endsWith('.spec.ts')).sort()) {
    const { spec } = await loadSpec(`specs/vfio/${f}`);
    (spec.expect ?? []).forEach((e, k) => {
      if (e.status !== 'violation' || !e.violation) return;
      const consts = Object.entries(e.constants ?? {}).flatMap(([n, v]) => ['--const', `${n}=${String(v)}`]);
      const invs = ((e.options as { invariants?: string[] } | undefined)?.invariants ?? []).flatMap((n) => ['--invariant', n]);
      out.push({ name: `${f}#${k}`, args: [`specs/vfio/${f}`, ...consts, ...invs], kind: e.violation.kind ?? '', property: e.violation.name ?? '' });
    });
  }
  return out;
}

describe('migcheck replay on migcheck\'s own counterexamples', () => {
  it('replays every counterexample of specs/vfio/ (JSON and ITF) and fails at its last step', async () => {
    const runs = await counterexampleRuns();
    expect(runs.length).toBeGreaterThanOrEqual(12);
    for (const r of runs) {
      for (const format of ['json', 'itf'] as const) {
        const check = await runCli(['check', ...r.args, '--format', format]);
        expect(check.code, `${r.name} check`).not.toBe(0);
        const file = join(dir, `${r.name.replace(/[#/]/g, '_')}.${format}`);
        writeFileSync(file, check.out);
        const trace = readTrace(check.out);
        if (!trace.ok) throw new Error(`${r.name}: unreadable trace`);
        const steps = trace.steps.length - 1;
        // ITF carries no constants: give the ones the expectation used.
        const given = (opt: string) => r.args.slice(1).filter((a, i, all) => a === opt || all[i - 1] === opt);
        const extra = [...(format === 'itf' ? given('--const') : []), ...given('--invariant')];
        const { code, doc } = await replayJson([file, ...extra]);
        const run = doc.devices[0].runs[0];
        if (r.kind === 'liveness') {
          // A finite log cannot show an infinite run: it ends owing what never happens.
          expect(run.outcome, r.name).toBe('incomplete');
          expect(code).toBe(14);
          continue;
        }
        expect(run.outcome, `${r.name} (${format})`).toBe('departs');
        expect(run.index, `${r.name} (${format})`).toBe(steps - 1);
        expect(run.explanation?.property, r.name).toBe(r.property);
        expect(code).toBe(12);
      }
    }
  }, 120_000);

  it('replayed as a log (--as-log), a counterexample never departs before its last event', async () => {
    for (const f of readdirSync(`${FIX}/traces`).filter((x) => x.endsWith('.json') && !x.endsWith('.itf.json'))) {
      const text = readFileSync(`${FIX}/traces/${f}`, 'utf8');
      const parsed = parseTraceJson(text);
      if (!parsed.ok) throw new Error(f);
      const { doc } = await replayJson([`${FIX}/traces/${f}`, '--as-log']);
      for (const run of doc.devices.flatMap((d) => d.runs)) {
        if (run.outcome === 'departs') expect(run.index, f).toBe(parsed.events.length - 1);
        else expect(['incomplete', 'conforms'], f).toContain(run.outcome);
      }
      // The violations on an observed call (no device step in the trace) are found from the calls alone.
      const steps = readTrace(text);
      if (steps.ok && !steps.steps.some((s) => /^Device|^DriverSaveDone/.test(s.action)))
        expect(doc.devices[0].runs[0].outcome, f).toBe('departs');
    }
  }, 60_000);
});

describe('migcheck replay on hand-written logs', () => {
  // file -> outcome, 1-based event where it departs, the property and clause broken.
  const CASES: [string, string, number?, string?, string?][] = [
    ['jsonl-migration.jsonl', 'conforms'],
    ['qemu-10-source.log', 'conforms'],
    ['qemu-9-source-precopy.log', 'conforms'],
    ['qemu-9-destination-prefixed.log', 'conforms'],
    ['strace-source.log', 'conforms'],
    ['jsonl-broken-data-after-eof.jsonl', 'departs', 4, 'EofIsPermanent', 'DATA-7'],
    ['strace-broken-data-after-eof.log', 'departs', 4, 'EofIsPermanent', 'DATA-7'],
    ['jsonl-broken-enomsg-in-stop-copy.jsonl', 'departs', 2, 'NoEnomsgInStopCopy', 'DATA-8'],
    ['jsonl-broken-info-in-stop-copy.jsonl', 'departs', 3, 'PrecopyInfoOnlyInPreCopy', 'PRECOPY-2'],
    ['qemu-broken-info-in-stop-copy.log', 'departs', 6, 'PrecopyInfoOnlyInPreCopy', 'PRECOPY-2'],
    ['jsonl-broken-second-fd.jsonl', 'departs', 2, 'OneSessionPerSavingStay', 'SAVE-2'],
    // A SET the reference driver never fails: the device answered what the profile cannot.
    ['qemu-8-failed-set.log', 'departs', 3],
  ];
  for (const [file, outcome, event, property, clause] of CASES) {
    it(`${file} ${outcome}${event ? ` at event ${event}` : ''}${clause ? ` breaking ${clause}` : ''}`, async () => {
      const { code, doc } = await replayJson([`${FIX}/${file}`]);
      const run = doc.devices[0].runs[0];
      expect(run.outcome).toBe(outcome);
      expect(code).toBe(outcome === 'conforms' ? 0 : 12);
      if (event !== undefined) expect(run.index).toBe(event - 1);
      if (property) expect(run.explanation).toMatchObject({ property, clause, party: 'kernel/driver' });
    }, 30_000);
  }

  // What strace and QEMU's trace cannot show (docs/replay.md): the SET target (strace), the data_fd a SET returned (QEMU).
  for (const file of ['strace-broken-enomsg-in-stop-copy.log', 'strace-broken-second-fd.log', 'qemu-broken-second-fd.log']) {
    it(`${file} cannot be told from a migration still in PRE_COPY: incomplete, exit 14`, async () => {
      const { code, doc } = await replayJson([`${FIX}/${file}`]);
      expect(doc.devices[0].runs[0].outcome).toBe('incomplete');
      expect(doc.devices[0].runs[0].owed?.[0]).toMatch(/the source is in PRE_COPY/);
      expect(code).toBe(14);
    }, 30_000);
  }

  it('replays each device of a log with several on its own, and the worst verdict decides the exit code', async () => {
    const file = join(dir, 'two-devices.jsonl');
    // Two devices migrating at once, their events interleaved: one conforming, one breaking DATA-8.
    const good = readFileSync(`${FIX}/jsonl-migration.jsonl`, 'utf8').split('\n').filter((l) => l.startsWith('{'));
    const bad = readFileSync(`${FIX}/jsonl-broken-enomsg-in-stop-copy.jsonl`, 'utf8').split('\n').filter((l) => l.startsWith('{'));
    const mixed: string[] = [];
    for (let k = 0; k < Math.max(good.length, bad.length); k++) mixed.push(...(good[k] ? [good[k]] : []), ...(bad[k] ? [bad[k]] : []));
    writeFileSync(file, mixed.join('\n') + '\n');
    const { code, doc } = await replayJson([file]);
    const verdicts = Object.fromEntries(doc.devices.map((d) => [d.device, d.outcome]));
    // Several source names: each device name is a migration of its own (the two ends of the first are two names).
    expect(verdicts).toEqual({ '0000:17:00.1': 'conforms', '0000:65:00.1': 'conforms', gpu0: 'departs' });
    expect(doc.devices.find((d) => d.device === 'gpu0')?.runs[0]).toMatchObject({ index: 1, explanation: { clause: 'DATA-8' } });
    expect(doc.outcome).toBe('departs');
    expect(code).toBe(12);
  }, 30_000);

  it('replays a source trace and a destination trace given together, each with the other end unobserved', async () => {
    const { code, doc } = await replayJson([`${FIX}/qemu-10-source.log`, `${FIX}/qemu-9-destination-prefixed.log`]);
    expect(doc.devices.map((d) => [d.device, d.outcome])).toEqual([['0000:17:00.1', 'conforms'], ['0000:65:00.1', 'conforms']]);
    expect(code).toBe(0);
    const mixed = await replayJson([`${FIX}/qemu-10-source.log`, `${FIX}/jsonl-broken-second-fd.jsonl`]);
    expect(mixed.doc.devices.map((d) => d.outcome)).toEqual(['conforms', 'departs']);
    expect(mixed.code).toBe(12);
  }, 30_000);

  it('says which properties a conforming log exercised: a source-only trace never completes a destination', async () => {
    const both = await replayJson([`${FIX}/jsonl-migration.jsonl`]);
    expect((both.doc.devices[0].runs[0] as { exercised?: string[] }).exercised).toEqual(expect.arrayContaining(['NoLostMandatoryData', 'NoEnomsgInStopCopy', 'OneSessionPerSavingStay']));
    const src = await replayJson([`${FIX}/qemu-10-source.log`]);
    const ex = (src.doc.devices[0].runs[0] as { exercised?: string[] }).exercised;
    expect(ex).toContain('PrecopyInfoOnlyInPreCopy');
    expect(ex).not.toContain('NoLostMandatoryData');
    expect(ex).not.toContain('EofIsPermanent');
  }, 30_000);

  it('prints the log and the model side by side, the clause text and the party to blame', async () => {
    const r = await runCli(['replay', `${FIX}/jsonl-broken-enomsg-in-stop-copy.jsonl`]);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/DEPARTS at event 2 \(line 2\)/);
    expect(r.out).toMatch(/source gpu0: SET_STATE\(STOP_COPY\) = 0, data_fd=45 +src: SET_STATE\(STOP_COPY\) = 0, data_fd=3 +\[SrcSetState\]/);
    expect(r.out).toMatch(/✗ +2 +2 +source gpu0: read\(45\) = -1 ENOMSG +no step of the model matches/);
    expect(r.out).toContain('broken: NoEnomsgInStopCopy [DATA-8 MUST NOT]: read() must not fail with ENOMSG while the device is in STOP_COPY.');
    expect(r.out).toContain('party to blame: kernel/driver');
  });

  it('--driver any tries every built-in driver profile and says which conform', async () => {
    const bad = await replayJson([`${FIX}/jsonl-broken-enomsg-in-stop-copy.jsonl`, '--driver', 'any']);
    expect(bad.doc.devices[0].runs.length).toBeGreaterThanOrEqual(10);
    expect(bad.doc.devices[0].conforming).toEqual([]);
    expect(bad.code).toBe(12);
    const two = await replayJson([`${FIX}/qemu-10-source.log`, '--driver', 'reference,no-precopy']);
    expect(two.doc.devices[0].runs.map((r) => r.outcome)).toEqual(['conforms', 'departs']);
    const good = await replayJson([`${FIX}/qemu-10-source.log`, '--driver', 'any', '--user', 'any']);
    expect(good.doc.devices[0].conforming).toContain('DRIVER=reference USER=adversarial');
    expect(good.doc.devices[0].conforming.length).toBeLessThan(good.doc.devices[0].runs.length);
    expect(good.code).toBe(0);
  }, 60_000);

  it('gives JUnit and GitHub annotations for CI', async () => {
    const j = await runCli(['replay', `${FIX}/jsonl-broken-second-fd.jsonl`, '--format', 'junit']);
    expect(j.code).toBe(12);
    expectValidJUnit(j.out);
    expect(j.out).toContain('SAVE-2');
    const g = await runCli(['replay', `${FIX}/jsonl-broken-second-fd.jsonl`, '--format', 'github']);
    const lines = g.out.trim().split('\n');
    for (const l of lines) expect(l).toMatch(ANNOTATION_LINE);
    expect(lines[0]).toMatch(/^::error file=test\/fixtures\/replay\/jsonl-broken-second-fd.jsonl,line=2,/);
  });
});

describe('migcheck replay round trips', () => {
  // The shortest complete migration the model makes, under each user model, exported to each format.
  for (const user of ['adversarial', 'qemu-like']) {
    it(`a complete migration of the model (${user}) exported to jsonl, strace and QEMU traces conforms`, async () => {
      const check = await runCli(['check', `${FIX}/specs/completes.spec.ts`, '--invariant', 'NoMigrationCompletes', '--const', `USER=${user}`, '--format', 'json']);
      expect(check.code).toBe(12);
      const parsed = parseTraceJson(check.out);
      if (!parsed.ok) throw new Error('trace');
      const logs: Record<string, string> = {
        'run.jsonl': toJsonl(parsed.events),
        'run-source.strace': toStrace(parsed.events, 'source'),
        'run-destination.strace': toStrace(parsed.events, 'destination'),
        'run.q10.log': toQemuTrace(parsed.events, { dialect: '10' }).text,
        'run.q9.log': toQemuTrace(parsed.events, { dialect: '9', prefix: { source: 4242, destination: 4343 } }).text,
      };
      for (const [name, text] of Object.entries(logs)) {
        const file = join(dir, `${user}-${name}`);
        writeFileSync(file, text);
        const { code, doc } = await replayJson([file, '--user', user]);
        expect(doc.outcome, `${user} ${name}`).toBe('conforms');
        expect(code).toBe(0);
      }
    }, 60_000);
  }
});

describe('migcheck replay on bad input', () => {
  for (const file of ['jsonl-malformed.jsonl', 'qemu-malformed.log', 'strace-malformed.log', 'qemu-v1-protocol.log']) {
    it(`${file}: FILE:LINE: message for each problem, exit 150, no stack trace`, async () => {
      const r = await runCli(['replay', `${FIX}/${file}`]);
      expect(r.code).toBe(150);
      const lines = r.err.trim().split('\n');
      for (const l of lines) expect(l).toMatch(new RegExp(`^${FIX}/${file.replace('.', '\\.')}:\\d+: \\S`));
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    });
  }

  it('a counterexample copied outside the repository still finds the built-in spec it names', async () => {
    const file = join(dir, 'cex.json');
    writeFileSync(file, readFileSync(`${FIX}/traces/broken-enomsg-in-stop-copy.json`, 'utf8'));
    const r = await runCli(['replay', file], { cwd: dir } as never);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/spec: VfioMigrationBrokenEnomsgInStopCopy \(.*specs\/vfio\/broken-enomsg-in-stop-copy\.spec\.ts\)/);
  });

  it('a file outside the repository in no known format: line 1 named, exit 150', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, '\n# my notes\nhello world\n');
    const r = await runCli(['replay', file]);
    expect(r.code).toBe(150);
    expect(r.err).toBe(`${file}:1: cannot tell the log format from its first line ('hello world'); give --format-in (qemu, strace, jsonl, json, itf)\n`);
  });

  it('a log read in the wrong format has no events: no verdict, exit 150', async () => {
    const r = await runCli(['replay', `${FIX}/qemu-10-source.log`, '--format-in', 'strace']);
    expect(r.code).toBe(150);
    expect(r.err).toMatch(/^test\/fixtures\/replay\/qemu-10-source\.log:1: no strace events in this log \(\d+ lines that are not strace entries\); it looks like qemu \(--format-in qemu\)\n$/);
  });

  it('replays under the kernel profile asked for: an EINVAL for STOP_COPY -> PRE_COPY departs on v6.2, where that SET never returns (KERN-1)', async () => {
    const fixed = await runCli(['replay', `${FIX}/jsonl-stop-copy-to-pre-copy.jsonl`]);
    expect(fixed.code).toBe(14);
    expect(fixed.out).toContain('INCOMPLETE');
    const deployed = await runCli(['replay', `${FIX}/jsonl-stop-copy-to-pre-copy.jsonl`, '--kernel', 'v6.2']);
    expect(deployed.code).toBe(12);
    expect(deployed.out).toContain('DEPARTS at event 3 (line 6)');
    expect(deployed.out).toContain('SET_STATE(PRE_COPY) never returns');
  });

  it('a missing file, a mistyped format, driver or kernel: one line each, exit 150 or 2', async () => {
    const missing = await runCli(['replay', join(dir, 'nope.log')]);
    expect(missing.code).toBe(150);
    expect(missing.err).toMatch(/^migcheck: log file not found: .*nope\.log\n$/);
    const fmt = await runCli(['replay', `${FIX}/strace-source.log`, '--format-in', 'stace']);
    expect(fmt.code).toBe(2);
    expect(fmt.err).toContain("did you mean 'strace'?");
    const drv = await runCli(['replay', `${FIX}/strace-source.log`, '--driver', 'mlx5like']);
    expect(drv.code).toBe(2);
    expect(drv.err).toContain("did you mean 'mlx5-like'?");
    const k = await runCli(['replay', `${FIX}/strace-source.log`, '--kernel', 'v6.3']);
    expect(k.code).toBe(2);
    expect(k.err).toContain("did you mean 'v6.2'?");
  });
});
