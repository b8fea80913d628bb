// The whole-migration model: what the default spec exercises, labels that read as an ioctl
// log, the view that merges idle destinations, the history fields, extending the model with
// more invariants, and the CLI options that choose driver, user, features and bounds.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, type CheckResult, type Step } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import { packageConfig } from '../../checker/cli/load.js';
import { repoRoot } from '../specs/discover.js';
import { migrationModel, migrationConfig, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import { srcPrecopyInfoResult, userCompleted, loadedStream } from '../../model/datapath/uapi.js';
import { NONE } from '../../model/datapath/stream.js';
import defaultSpec from '../../specs/vfio/default.spec.js';

type Goal = (b: MigrationState, a: MigrationState, st: Step) => boolean;

/** The shortest trace ending with a step for which `goal` holds, or null. */
function witness(o: MigrationOptions, goal: Goal): string[] | null {
  const m = migrationModel(o);
  const spec = defineSpec({ name: 'witness', setup: () => ({ ...m, properties: { NotGoal: (b: MigrationState, a: MigrationState, st: Step) => !goal(b, a, st) } }) as never });
  const r = check(instantiate(spec), { invariants: ['NotGoal'] });
  if (r.status === 'ok') return null;
  if (r.status !== 'violation') throw new Error(`unexpected ${r.status}`);
  return r.violation.trace.map((t) => t.label);
}

const defaults = defaultSpec.expect![0];
const DEFAULT: MigrationOptions = { maxVersion: 2 };

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
  return { code, out, err };
}

describe('the default spec', () => {
  it('is the package\'s default and checks the full migration under the adversarial user and the reference driver', () => {
    expect(packageConfig().defaultSpec).toBe('specs/vfio/default.spec.ts');
    const inst = instantiate(defaultSpec);
    expect(inst.constants).toMatchObject({ DRIVER: 'reference', USER: 'adversarial', FEATURES: 'all', UNITS: 2, MAX_VERSION: 2 });
    expect(defaults.status).toBe('ok');
  });

  const cfg = migrationConfig(DEFAULT);
  const exercises: [string, Goal][] = [
    ['dirtying in PRE_COPY with a live session', (b, a) => b.src.state === 'PRE_COPY' && b.src.live && a.src.units.some((v, i) => v > b.src.units[i])],
    ['dirtying in PRE_COPY_P2P with a live session', (b, a) => b.src.state === 'PRE_COPY_P2P' && b.src.live && a.src.units.some((v, i) => v > b.src.units[i])],
    ['the same unit changed in PRE_COPY and again in PRE_COPY_P2P', (b, a) => b.src.state === 'PRE_COPY_P2P' && b.src.dirty[0] === 1 && a.src.units[0] === 2],
    ['an early switch to STOP_COPY with initial data unread', (b, a) => b.src.state !== 'STOP_COPY' && a.src.state === 'STOP_COPY' && a.src.initial.some((v) => v !== NONE)],
    ['an abort and a new pre-copy session after data reached the destination', (b, a) => b.src.state === 'RUNNING' && a.src.state === 'PRE_COPY' && b.link.written],
    ['a REINIT reported after the opt-in', (b, _a, st) => st.action === 'SrcPrecopyInfo' && (() => { const r = srcPrecopyInfoResult(b, cfg); return r.ok && r.reinit; })()],
    ['new data reported as dirty after a REINIT without the opt-in', (b, _a, st) => st.action === 'SrcPrecopyInfo' && !b.src.optIn && b.src.reinited && (() => { const r = srcPrecopyInfoResult(b, cfg); return r.ok && r.dirty > 0; })()],
    ['a completed migration that NoLostMandatoryData judges', (b, a, st) => st.action === 'DstSetState' && loadedStream(b, a) && userCompleted(b)],
    ['a destination rejecting an incomplete stream', (b, a, st) => st.action === 'DstSetState' && b.dst.state === 'RESUMING' && a.dst.state === 'RESUMING' && (st.param as string) !== 'RESUMING'],
    ['a reset of the source during STOP_COPY', (b, _a, st) => st.action === 'SrcReset' && b.src.state === 'STOP_COPY'],
  ];
  for (const [what, goal] of exercises) {
    it(`exercises ${what}`, () => {
      const t = witness(DEFAULT, goal);
      expect(t, what).not.toBeNull();
      expect(t!.length).toBeLessThanOrEqual(defaults.depth!);
    });
  }

  it('writes every step as a call on one device, as an ioctl log', () => {
    const t = witness(DEFAULT, (b, a, st) => st.action === 'DstSetState' && loadedStream(b, a) && userCompleted(b) && a.src.units.some((v) => v > 0))!;
    const grammar = [
      /^Init$/,
      /^src: SET_STATE\([A-Z_0-9]+\) = (0(, data_fd=3)?|-1 EINVAL)$/,
      /^dst: SET_STATE\([A-Z_0-9]+\) = (0(, data_fd=4)?( \(RESUMING->STOP loaded \[[-v0-9 ]+\]; the source has \[[v0-9 ]+\]\))?|-1 EIO \(.*\))$/,
      /^src: read\(3\) = (\[(header|end)\]|\[(initial|dirty|final) unit \d v\d\]|0|-1 (ENOMSG|EAGAIN|ENODEV))$/,
      /^src: PRECOPY_INFO\(3\) = (\{initial_bytes: \d, dirty_bytes: \d(, flags: REINIT)?\}|-1 [A-Z]+)$/,
      /^dst: write\(4, \[.*\]\) = (ok|-1 ENODEV)$/,
      /^src: device dirties unit \d \(now v\d\)$/,
      /^src: device re-initialises its migration data/,
      /^src: DEVICE_FEATURE\(SET, MIG_PRECOPY_INFOv2\) = 0$/,
      /^src: RESET = 0 \(device in RUNNING(; the saving session ended)?\)$/,
      /^dst: RESET = 0 \(device in RUNNING(; the resuming session ended)?\)$/,
    ];
    for (const l of t) expect(grammar.some((g) => g.test(l)), l).toBe(true);
    expect(t).toContain('src: device dirties unit 0 (now v1)');
  });
});

describe('the view that merges idle destinations', () => {
  it('changes no verdict: with and without it, conforming drivers pass and broken ones fail the same property with traces of the same length', () => {
    const plain = (o: MigrationOptions): CheckResult => {
      const m = migrationModel(o);
      const { view: _view, ...rest } = m;
      return check(instantiate(defineSpec({ name: 'noview', setup: () => rest as never })));
    };
    const viewed = (o: MigrationOptions): CheckResult => check(instantiate(defineSpec({ name: 'view', setup: () => migrationModel(o) })));
    for (const o of [{ maxVersion: 1 }, { driver: 'broken-misses-p2p-dirty', maxVersion: 1 }, { driver: 'mlx5-like', user: 'qemu-like', maxVersion: 1 }] as MigrationOptions[]) {
      const a = plain(o);
      const b = viewed(o);
      expect(b.status, JSON.stringify(o)).toBe(a.status);
      if (a.status === 'violation' && b.status === 'violation') {
        expect(b.violation.name).toBe(a.violation.name);
        expect(b.violation.trace.length).toBe(a.violation.trace.length);
      }
      expect(b.stats.distinct).toBeLessThanOrEqual(a.stats.distinct);
    }
  });
});

describe('history for wording clauses', () => {
  it('stays at its initial values without HISTORY', () => {
    const t = witness({ maxVersion: 1 }, (_b, a) => a.src.readPre > 0 || a.src.infoInitial !== NONE || a.src.switchInitial !== NONE || a.src.trailer > 0);
    expect(t).toBeNull();
  });

  it('records what was read per phase, the last precopy_info answer, the initial data unread at the switch and the trailer', () => {
    const o: MigrationOptions = { driver: 'mlx5-like', history: true, maxVersion: 1, reinit: false };
    const t = witness(o, (_b, a) => a.src.state === 'STOP_COPY' && a.src.readPre === 1 && a.src.infoInitial === 1 && a.src.infoDirty === 0 &&
      a.src.switchInitial === 1 && a.src.trailer === 1 && a.src.readStop === 1);
    expect(t).not.toBeNull();
    expect(t).toContain('src: PRECOPY_INFO(3) = {initial_bytes: 1, dirty_bytes: 0}');
    expect(t).toContain('src: driver completes the asynchronous STOP_COPY save');
    expect(t!.filter((l) => l.startsWith('src: read(3) = ['))).toHaveLength(2);
  });

  it('counts a vgpu-framebuffer trailer of every unit against a precopy_info that reported one record', () => {
    const t = witness({ driver: 'vgpu-framebuffer', history: true, maxVersion: 1 }, (_b, a) => a.src.state === 'STOP_COPY' && a.src.infoInitial === 1 && a.src.infoDirty === 0 && a.src.trailer === 2);
    expect(t).not.toBeNull();
  });
});

describe('extending the model', () => {
  it('takes more invariants by spreading (as wording clauses do)', () => {
    const m = migrationModel({ maxVersion: 1 });
    const spec = defineSpec({
      name: 'extended',
      setup: () => ({ ...m, invariants: { ...(m.invariants ?? {}), NeverBothRunningWithData: (s: MigrationState) => !(s.src.state === 'STOP_COPY' && s.dst.state === 'RESUMING' && s.dst.complete) } }) as never,
    });
    const r = check(instantiate(spec));
    expect(r.status === 'violation' && r.violation.name).toBe('NeverBothRunningWithData');
  });
});

describe('the CLI', () => {
  it('chooses driver, user, features and bounds with plain options', async () => {
    const r = await cli(['check', '--driver', 'mlx5-like', '--user', 'qemu-like', '--features', 'P2P,PRE_COPY', '--const', 'UNITS=3', '--max-version', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('DRIVER=mlx5-like USER=qemu-like FEATURES=P2P,PRE_COPY UNITS=3 MAX_VERSION=1');
    expect(r.out).toContain('No error found');
  });

  it('exits 12 with the pinned trace for a broken driver', async () => {
    const r = await cli(['check', 'specs/vfio/broken-info-in-stop-copy.spec.ts']);
    expect(r.code).toBe(12);
    expect(r.out).toContain('Action property PrecopyInfoOnlyInPreCopy is violated [PRECOPY-2 SHOULD]');
    expect(r.out).toContain('src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}');
  });

  it('names the known drivers and users on a typo, in one line, exit 150', async () => {
    for (const [opt, val, known] of [['--driver', 'mlx6', 'known drivers: reference, mlx5-like'], ['--user', 'libvirt', 'known users: adversarial, qemu-like']]) {
      const r = await cli(['check', opt, val]);
      expect(r.code).toBe(150);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toContain(known);
    }
    const f = await cli(['check', '--features', 'P2P,FAST']);
    expect(f.code).toBe(150);
    expect(f.err).toContain("FEATURES: unknown migration flag 'FAST'");
  });
});
