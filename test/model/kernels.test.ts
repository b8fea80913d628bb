// Kernel profiles (model/kernel/): each release's next-step loop walked literally, the
// deployed-kernel hang (KERN-1) found with a short trace on the control model and on the data
// path, and gone on the fixed kernel; a step function that loops over the table for ever is
// bounded, never hangs migcheck; kernel JSON files and their errors.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, instantiate, ConfigError, type CheckResult } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import { repoRoot } from '../specs/discover.js';
import {
  KERNELS, DEFAULT_KERNEL, KERNEL_TABLE, kernelProfile, kernelFeatureSets, v5_18, v6_2, v7_1, walk, checkTable, describePair,
  migrationSpec, STEP_LOOKUP_BOUND, isSupported, FEATURE_SETS,
  type StepFunction, type MigState,
} from '../../model/index.js';
import { migrationConfig } from '../../model/datapath/migration.js';
import { initialSource } from '../../model/datapath/source.js';
import { initialDestination } from '../../model/datapath/destination.js';
import { initialLink, initialLastSet, srcSet, srcOptIn, type MigrationState } from '../../model/datapath/uapi.js';

const ALL = 'STOP_COPY|P2P|PRE_COPY';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
  return { code, out, err };
}

const labels = (r: CheckResult): string[] => (r.status === 'violation' ? r.violation.trace.map((s) => s.label) : []);

describe('the kernel profiles', () => {
  it('are named by release, oldest first, and the default is the newest', () => {
    expect(KERNELS.map((k) => k.name)).toEqual(['v5.18', 'v6.2', 'v7.1']);
    expect(DEFAULT_KERNEL).toBe('v7.1');
    for (const k of KERNELS) expect(k.source).toMatch(/vfio_mig_get_next_state\(\), v\d/);
  });

  it('v6.2 spins for ever on STOP_COPY->PRE_COPY and ->PRE_COPY_P2P of a PRE_COPY device (KERN-1), and only there', () => {
    const hangs: string[] = [];
    for (const f of FEATURE_SETS)
      for (const cur of ['STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P'] as MigState[]) {
        if (!isSupported(v6_2.table, f, cur)) continue;
        for (const to of ['ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P'] as MigState[]) {
          const w = walk(v6_2.table, f, cur, to, v6_2.step);
          if (w.outcome === 'does-not-terminate') {
            hangs.push(`${f} ${cur}->${to}`);
            expect(w).toMatchObject({ path: ['STOP_COPY'], cycle: ['ERROR', 'ERROR'], inStep: true });
          } else {
            // Everywhere else the pre-fix loop agrees with the fixed one.
            expect(w).toEqual(walk(v7_1.table, f, cur, to, v7_1.step));
          }
        }
      }
    expect(hangs).toEqual([
      'STOP_COPY|PRE_COPY STOP_COPY->PRE_COPY',
      'STOP_COPY|P2P|PRE_COPY STOP_COPY->PRE_COPY',
      'STOP_COPY|P2P|PRE_COPY STOP_COPY->PRE_COPY_P2P',
    ]);
  });

  it('v7.1 refuses those requests with EINVAL (FSM-11) and obeys every rule', () => {
    expect(walk(v7_1.table, ALL, 'STOP_COPY', 'PRE_COPY', v7_1.step)).toMatchObject({ outcome: 'EINVAL', reason: 'error-step' });
    for (const f of FEATURE_SETS) expect(checkTable(v7_1.table, f, { step: v7_1.step })).toEqual([]);
    expect(checkTable(v6_2.table, ALL, { step: v6_2.step }).map((x) => `${x.rule} ${x.pair}`)).toEqual([
      'TERMINATION STOP_COPY->PRE_COPY', 'TERMINATION STOP_COPY->PRE_COPY_P2P',
      'KERNEL STOP_COPY->PRE_COPY', 'KERNEL STOP_COPY->PRE_COPY_P2P',
      'FSM-11 STOP_COPY->PRE_COPY', 'FSM-11 STOP_COPY->PRE_COPY_P2P',
    ]);
  });

  it('v5.18 knows no PRE_COPY: only the two feature sets without it, where its loop always ends', () => {
    expect(kernelFeatureSets(v5_18)).toEqual(['STOP_COPY', 'STOP_COPY|P2P']);
    for (const f of kernelFeatureSets(v5_18)) expect(checkTable(v5_18.table, f, { step: v5_18.step })).toEqual([]);
    expect(kernelFeatureSets(v6_2)).toEqual([...FEATURE_SETS]);
  });

  it('say which precopy_info features exist: the opt-in and REINIT from v7.1, flags echoing the input before', () => {
    expect(KERNELS.map((k) => [k.name, k.precopyInfoV2, k.precopyInfoFlags])).toEqual([
      ['v5.18', false, 'echo-input'], ['v6.2', false, 'echo-input'], ['v7.1', true, 'driver-only'],
    ]);
  });
});

describe('a step function that never returns is bounded', () => {
  it('a loop over the table without an exit is reported with its cycle, not hung', () => {
    // Follows the table towards the target but never checks for arrival.
    const endless: StepFunction = (table, _f, cur, target) => {
      let next = table.nextStep[cur][target];
      for (;;) next = table.nextStep[next][target];
    };
    const w = walk(KERNEL_TABLE, ALL, 'RUNNING', 'STOP', endless);
    expect(w).toMatchObject({ outcome: 'does-not-terminate', path: ['RUNNING'], cycle: ['STOP', 'STOP'], inStep: true });
    expect(describePair(KERNEL_TABLE, ALL, 'RUNNING', 'STOP', endless)).toMatchObject({ result: 'does-not-terminate' });
    expect(STEP_LOOKUP_BOUND).toBe(65);
  });

  it('an error of the step function itself is not mistaken for a loop', () => {
    const broken: StepFunction = () => { throw new Error('boom'); };
    expect(() => walk(KERNEL_TABLE, ALL, 'RUNNING', 'STOP', broken)).toThrow('boom');
  });
});

describe('the hang with the control user', () => {
  const controlSpec = () => migrationSpec({ name: 'k', doc: 'control user', user: 'control', features: 'STOP_COPY|P2P|PRE_COPY', units: 1, maxFds: 2 });
  const run = (kernel: string) => check(instantiate(controlSpec(), { KERNEL: kernel }), { invariants: ['EverySetReturns'] });

  it('fails EverySetReturns (KERN-1) on v6.2 with a two-step trace', () => {
    const r = run('v6.2');
    expect(r.status === 'violation' && r.violation.name).toBe('EverySetReturns');
    expect(labels(r)).toEqual([
      'Init',
      'SET_STATE(STOP_COPY) = 0, data_fd=3',
      'SET_STATE(PRE_COPY) never returns: the walk does not terminate: at STOP_COPY the next-step loop looks up ERROR->ERROR->… for ever',
    ]);
  });

  it('holds on v7.1 and on v5.18 (no PRE_COPY device)', () => {
    expect(run('v7.1').status).toBe('ok');
    expect(check(instantiate(controlSpec(), { KERNEL: 'v5.18', FEATURES: 'STOP_COPY|P2P' }), { invariants: ['EverySetReturns'] }).status).toBe('ok');
  });

  it('refuses a feature set the kernel does not know', () => {
    expect(() => instantiate(controlSpec(), { KERNEL: 'v5.18' })).toThrow(/kernel v5.18 knows no PRE_COPY flag/);
  });
});

describe('the hang on the data path', () => {
  const spec = migrationSpec({ name: 'k', doc: 'kernel test', units: 1, maxVersion: 1 });
  const run = (kernel: string) => check(instantiate(spec, { KERNEL: kernel }), { invariants: ['EverySetReturns'] });

  it('fails EverySetReturns (KERN-1) on v6.2 with a two-step trace, after which nothing happens', () => {
    const r = run('v6.2');
    expect(r.status === 'violation' && r.violation.name).toBe('EverySetReturns');
    expect(labels(r)).toEqual([
      'Init',
      'src: SET_STATE(STOP_COPY) = 0, data_fd=3',
      'src: SET_STATE(PRE_COPY) never returns: the walk does not terminate: at STOP_COPY the next-step loop looks up ERROR->ERROR->… for ever',
    ]);
    if (r.status === 'violation') expect(r.violation.trace[2].state.hung).toBe(true);
  });

  it('holds on v7.1, where the same request is refused', () => {
    expect(run('v7.1').status).toBe('ok');
    const cfg = migrationConfig({ kernel: 'v7.1' });
    const s: MigrationState = { src: initialSource(cfg.bounds), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
    srcSet(s, 'STOP_COPY', cfg);
    expect(srcSet(s, 'PRE_COPY', cfg).ret).toBe('EINVAL');
    expect(s.hung).toBe(false);
  });

  it('a device on v5.18 reports no PRE_COPY, and the MIG_PRECOPY_INFOv2 opt-in is ENOTTY before v7.1', () => {
    expect(migrationConfig({ kernel: 'v5.18' }).features).toBe('STOP_COPY|P2P');
    const cfg = migrationConfig({ kernel: 'v6.2' });
    const s: MigrationState = { src: initialSource(cfg.bounds), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
    expect(srcOptIn(s, cfg)).toBe('ENOTTY');
    expect(s.src.optIn).toBe(false);
  });
});

describe('--kernel NAME|FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migcheck-kernel-'));
  const file = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(body));
    return p;
  };

  it('an unknown name is a ConfigError with did-you-mean', () => {
    expect(() => kernelProfile('v6.3')).toThrow(ConfigError);
    expect(() => kernelProfile('v6.3')).toThrow(/unknown kernel 'v6.3' \(did you mean v6.2\?\); known kernels: v5.18, v6.2, v7.1/);
  });

  it('a JSON file extends a release and names its loop', () => {
    const k = kernelProfile(file('backport.json', { name: 'v6.6-stable', extends: 'v6.2', step: 'with-error-test' }));
    expect(k).toMatchObject({ name: 'v6.6-stable', precopyInfoV2: false, flags: ['P2P', 'PRE_COPY'] });
    expect(walk(k.table, ALL, 'STOP_COPY', 'PRE_COPY', k.step).outcome).toBe('EINVAL');
  });

  it('a bad key, loop name or base names the file and what is wrong', () => {
    expect(() => kernelProfile(file('a.json', { extend: 'v6.2' }))).toThrow(/a\.json: unknown key 'extend' \(did you mean extends\?\)/);
    expect(() => kernelProfile(file('b.json', { step: 'forever' }))).toThrow(/b\.json: step: "forever" is not one of without-error-test, with-error-test/);
    expect(() => kernelProfile(file('c.json', { extends: 'v6.1' }))).toThrow(/c\.json: extends: unknown kernel 'v6.1' \(did you mean v6.2\?\)/);
    expect(() => kernelProfile(join(dir, 'missing.json'))).toThrow(/kernel file not found/);
  });

  it('check --kernel v6.2 exits 12 with the hang; fsm --kernel v6.2 exits 12 naming the two pairs', async () => {
    const c = await cli(['check', 'specs/vfio/fsm.spec.ts', '--kernel', 'v6.2']);
    expect(c.code).toBe(12);
    expect(c.out).toContain('EverySetReturns is violated');
    const f = await cli(['fsm', '--kernel', 'v6.2', '--features', 'P2P,PRE_COPY']);
    expect(f.code).toBe(12);
    expect(f.out).toContain('STOP_COPY|P2P|PRE_COPY  STOP_COPY->PRE_COPY_P2P: the walk never ends');
    expect((await cli(['fsm', '--kernel', 'v7.1'])).code).toBe(0);
    const bad = await cli(['fsm', '--kernel', 'v5.18', '--features', 'P2P,PRE_COPY']);
    expect(bad.code).toBe(150);
    expect(bad.err).toContain('kernel v5.18 knows only STOP_COPY, STOP_COPY|P2P');
  });
});

describe('fsm --step FILE: a user\'s step function, from a module', () => {
  it('a literal transcription of the pre-fix C loop is reported, not hung (exit 12)', async () => {
    const r = await cli(['fsm', '--step', 'test/model/fixtures/kernels/literal-loop.mts', '--features', 'PRE_COPY']);
    expect(r.code).toBe(12);
    expect(r.out).toContain('STOP_COPY|PRE_COPY  STOP_COPY->PRE_COPY: the walk never ends: at STOP_COPY the next-step loop looks up ERROR > ERROR > … for ever');
  });

  it('a module without a step export is a one-line error naming the file (exit 150)', async () => {
    const r = await cli(['fsm', '--step', 'test/model/fixtures/kernels/no-step.mts']);
    expect(r.code).toBe(150);
    expect(r.err.trim()).toBe("migcheck: test/model/fixtures/kernels/no-step.mts: the module exports no step (export it as default, or as 'step'; it exports nope)");
  });
});

describe('matrix --kernel, --kernels and --drivers FILE', () => {
  it('a driver profile from a module is a row under its own name', async () => {
    const r = await cli(['matrix', '--drivers', 'test/model/fixtures/drivers/eof-at-temporary-end.mts,reference', '--users', 'adversarial', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { rows: { driver: string; cells: { key: string; verdict: string }[] }[] }).rows;
    expect(rows.map((x) => x.driver)).toEqual(['mine', 'reference']);
    expect(rows[0].cells.find((c) => c.key === 'PRECOPY-11')?.verdict).toBe('violated');
    expect(rows[1].cells.find((c) => c.key === 'PRECOPY-11')?.verdict).toBe('holds');
  });

  it('--kernels runs one matrix per kernel; the opt-in is ENOTTY on v6.2', async () => {
    const r = await cli(['matrix', '--kernels', 'v6.2,v7.1', '--drivers', 'reference', '--users', 'qemu-like']);
    expect(r.code).toBe(0);
    expect(r.out.indexOf('kernel v6.2\n')).toBe(0);
    expect(r.out).toContain('\nkernel v7.1\n');
    expect(r.out).toContain('MIG_PRECOPY_INFOv2) = -1 ENOTTY (kernel v6.2: REINIT not trusted)');
    expect(r.out).toContain('--kernel v7.1');
  });

  it('an unknown kernel or a missing driver file exits 150', async () => {
    expect((await cli(['matrix', '--kernel', 'v6.3'])).code).toBe(150);
    const r = await cli(['matrix', '--drivers', './nope.ts']);
    expect(r.code).toBe(150);
    expect(r.err).toContain('driver file not found: ./nope.ts');
  });
});
