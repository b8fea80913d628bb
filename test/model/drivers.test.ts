// Driver profiles: the registry, the shape check for user-written profiles, what each
// built-in profile does, and each broken profile caught by the property it is meant to
// break, with its short trace.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, ConfigError, type CheckResult } from '../../checker/index.js';
import { migrationModel, migrationConfig, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import {
  DRIVERS, DRIVER_NAMES, driverProfile, profileProblem, reference, mlx5Like, staticHeaderLike, noPrecopy, vgpuFramebuffer,
  type DriverProfile,
} from '../../model/drivers/index.js';
import { initialSource, readResult } from '../../model/datapath/source.js';
import { initialDestination } from '../../model/datapath/destination.js';
import { initialLink, initialLastSet, srcSet, srcRead, srcPrecopyInfo } from '../../model/datapath/uapi.js';
import { unread } from '../../model/datapath/stream.js';

function run(o: MigrationOptions, invariants?: string[]): CheckResult<MigrationState> {
  const spec = defineSpec({ name: 'test', setup: () => migrationModel(o) });
  return check(instantiate(spec), { invariants }) as CheckResult<MigrationState>;
}

const labels = (r: CheckResult) => (r.status === 'violation' ? r.violation.trace.map((t) => t.label) : []);

function start(driver: DriverProfile, features = 'all') {
  const cfg = migrationConfig({ driver, features });
  const s: MigrationState = { src: initialSource(cfg.bounds), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
  return { s, cfg };
}

describe('the registry', () => {
  it('lists every profile once, conforming ones first', () => {
    expect(new Set(DRIVER_NAMES).size).toBe(DRIVERS.length);
    expect(DRIVER_NAMES.slice(0, 5)).toEqual(['reference', 'mlx5-like', 'static-header-like', 'no-precopy', 'vgpu-framebuffer']);
    for (const d of DRIVERS) expect(profileProblem(d)).toBeNull();
    for (const d of DRIVERS.filter((x) => x.name.startsWith('broken-'))) expect(d.breaks).toBeTruthy();
  });

  it('names the known drivers when asked for an unknown one', () => {
    expect(() => driverProfile('mlx6')).toThrow(ConfigError);
    expect(() => driverProfile('mlx6')).toThrow(/unknown driver 'mlx6'; known drivers: reference, mlx5-like, .*broken-initial-grows/);
  });

  it('says what is missing from a hand-written profile', () => {
    expect(profileProblem({ ...reference, readEmpty: 3 })).toBe("driver reference: 'readEmpty' must be a function");
    expect(profileProblem({ ...reference, flags: ['STOP_COPY'] })).toMatch(/flags must list/);
    expect(() => driverProfile({ ...reference, detectsIncomplete: undefined } as unknown as DriverProfile)).toThrow(/detectsIncomplete/);
  });

  it('limits the device\'s features to the driver\'s flags', () => {
    expect(migrationConfig({ driver: 'no-precopy' }).features).toBe('STOP_COPY|P2P');
    expect(migrationConfig({ driver: 'mlx5-like', features: 'PRE_COPY' }).features).toBe('STOP_COPY|PRE_COPY');
    expect(() => migrationConfig({ features: 'P3P' })).toThrow(/FEATURES: unknown migration flag 'P3P'/);
  });
});

describe('what each profile does', () => {
  it('static-header-like sends a header in pre-copy, answers 0 at its end, and the rest in STOP_COPY (DRV-2)', () => {
    const { s, cfg } = start(staticHeaderLike);
    srcSet(s, 'PRE_COPY', cfg);
    expect(srcPrecopyInfo(s, cfg)).toEqual({ ok: true, initial: 1, dirty: 0, reinit: false });
    expect(srcRead(s, cfg)).toEqual({ kind: 'data', record: { kind: 'header', unit: 0, version: 0 } });
    s.link.kind = 'none';
    expect(readResult(s.src, staticHeaderLike)).toEqual({ kind: 'eof' });
    srcSet(s, 'STOP_COPY', cfg);
    expect(unread(s.src, 'final')).toBe(2);
    expect(staticHeaderLike.detectsIncomplete).toBe(false);
  });

  it('vgpu-framebuffer follows the text (ENOMSG) but puts the whole state in the trailer', () => {
    const { s, cfg } = start(vgpuFramebuffer);
    srcSet(s, 'PRE_COPY', cfg);
    srcRead(s, cfg);
    s.link.kind = 'none';
    expect(readResult(s.src, vgpuFramebuffer)).toEqual({ kind: 'errno', errno: 'ENOMSG' });
    expect(vgpuFramebuffer.dataSize(s.src)).toBeGreaterThan(10 * cfg.bounds.units);
    srcSet(s, 'STOP_COPY', cfg);
    expect(unread(s.src, 'final')).toBe(cfg.bounds.units);
  });

  it('no-precopy has no PRE_COPY state and no precopy ioctl (DRV-5)', () => {
    const { s, cfg } = start(noPrecopy);
    expect(cfg.srcTargets).not.toContain('PRE_COPY');
    srcSet(s, 'STOP_COPY', cfg);
    expect(srcPrecopyInfo(s, cfg)).toEqual({ ok: false, errno: 'ENOTTY' });
  });

  it('mlx5-like reports only initial_bytes while initial data is unread', () => {
    const { s, cfg } = start(mlx5Like);
    srcSet(s, 'PRE_COPY', cfg);
    s.src.tracked[0] = true;
    expect(srcPrecopyInfo(s, cfg)).toEqual({ ok: true, initial: 2, dirty: 0, reinit: false });
  });

  it('answers MIG_DATA_SIZE in every state (SIZE-2)', () => {
    for (const d of DRIVERS) {
      const { s, cfg } = start(d);
      for (const target of cfg.srcTargets) {
        srcSet(s, target, cfg);
        expect(Number.isInteger(d.dataSize(s.src)), `${d.name} in ${target}`).toBe(true);
      }
    }
  });
});

describe('each broken profile is caught by its property', () => {
  it('broken-forgets-initial loses the initial data at an early switch: NoLostMandatoryData', () => {
    const r = run({ driver: 'broken-forgets-initial', maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('NoLostMandatoryData');
    expect(labels(r)).toEqual([
      'Init',
      'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
      'src: SET_STATE(STOP_COPY) = 0',
      'src: read(3) = [end]',
      'dst: SET_STATE(RESUMING) = 0, data_fd=4',
      'dst: write(4, [end]) = ok',
      'src: read(3) = 0',
      'dst: SET_STATE(STOP) = 0 (RESUMING->STOP loaded [- -]; the source has [v0 v0])',
    ]);
    if (r.status === 'violation') {
      const last = r.violation.trace.at(-1)!.state;
      expect(last.dst.units).toEqual([-1, -1]);
      expect(last.src.units).toEqual([0, 0]);
    }
  });

  it('broken-enomsg-in-stop-copy answers ENOMSG in STOP_COPY: NoEnomsgInStopCopy', () => {
    const r = run({ driver: 'broken-enomsg-in-stop-copy', maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('NoEnomsgInStopCopy');
    expect(labels(r)).toEqual(['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3', 'src: read(3) = -1 ENOMSG']);
  });

  it('broken-info-in-stop-copy answers precopy_info in STOP_COPY: PrecopyInfoOnlyInPreCopy', () => {
    const r = run({ driver: 'broken-info-in-stop-copy', maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('PrecopyInfoOnlyInPreCopy');
    expect(labels(r).at(-1)).toBe('src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}');
  });

  it('broken-misses-p2p-dirty drops a change made in PRE_COPY_P2P: NoLostMandatoryData', () => {
    const r = run({ driver: 'broken-misses-p2p-dirty', maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('NoLostMandatoryData');
    const l = labels(r);
    const p2p = l.indexOf('src: SET_STATE(PRE_COPY_P2P) = 0, data_fd=3');
    const dirty = l.indexOf('src: device dirties unit 0 (now v1)');
    expect(p2p).toBeGreaterThan(0);
    expect(dirty).toBeGreaterThan(p2p);
    expect(l.slice(p2p, dirty)).not.toContain('src: SET_STATE(PRE_COPY) = 0');
  });

  it('broken-initial-grows lets initial_bytes grow without REINIT: InitialBytesNeverGrowWithoutReinit', () => {
    const r = run({ driver: 'broken-initial-grows', maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('InitialBytesNeverGrowWithoutReinit');
    expect(labels(r)).toEqual([
      'Init',
      'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
      'src: read(3) = [initial unit 0 v0]',
      'src: device re-initialises its migration data (precopy_info would answer {initial_bytes: 1, dirty_bytes: 0} before, {initial_bytes: 2, dirty_bytes: 0} now)',
    ]);
  });

  it('is caught only through the hook it breaks: each passes the properties it is not meant to break', () => {
    for (const d of DRIVERS.filter((x) => x.breaks)) {
      const others = ['NoLostMandatoryData', 'PrecopyInfoOnlyInPreCopy', 'NoEnomsgInStopCopy', 'EofIsPermanent', 'StoppedDeviceDoesNotChange',
        'InitialBytesNeverGrowWithoutReinit', 'DirtyBytesStartAtZero', 'ReinitOnlyAfterOptIn', 'OneSessionPerSavingStay'].filter((p) => p !== d.breaks);
      const r = run({ driver: d, maxVersion: 1 }, others);
      // broken-enomsg-in-stop-copy loses no data for the adversarial user, who reads on after ENOMSG.
      expect(r.status, d.name).toBe('ok');
    }
  });
});

describe('writing a profile of one\'s own', () => {
  // The example from docs/vfio-model.md: a driver that, like the static-header drivers,
  // answers 0 at the temporary end of pre-copy, but tracks and sends changes.
  const mine: DriverProfile = {
    ...reference,
    name: 'mine',
    doc: 'reference, but read() answers 0 at the pre-copy temporary end',
    readEmpty: () => 'EOF',
  };

  it('plugs into the model by object and passes the headline properties', () => {
    expect(run({ driver: mine, maxVersion: 1 }).status).toBe('ok');
  });

  it('is judged by the same properties: a profile that answers ENOMSG everywhere is caught', () => {
    const bad: DriverProfile = { ...reference, name: 'enomsg-always', readEmpty: () => 'ENOMSG' };
    const r = run({ driver: bad, maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('NoEnomsgInStopCopy');
  });

  it('catches a profile that reports REINIT without the opt-in (REINIT-3) and one whose dirty_bytes does not start at 0 (PRECOPY-7)', () => {
    const eager: DriverProfile = {
      ...reference,
      name: 'reinit-always',
      precopyInfo: (dev) => ({ ...(reference.precopyInfo(dev) as { ok: true; initial: number; dirty: number; reinit: boolean }), reinit: dev.reinitPending }),
    };
    const r1 = run({ driver: eager, maxVersion: 1 });
    expect(r1.status === 'violation' && r1.violation.name).toBe('ReinitOnlyAfterOptIn');
    const dirtyFirst: DriverProfile = {
      ...reference,
      name: 'dirty-first',
      precopyInfo: (dev) => {
        const a = reference.precopyInfo(dev);
        return a.ok ? { ...a, dirty: a.dirty + 1 } : a;
      },
    };
    const r2 = run({ driver: dirtyFirst, maxVersion: 1 });
    expect(r2.status === 'violation' && r2.violation.name).toBe('DirtyBytesStartAtZero');
  });

  it('catches a profile whose MIG_DATA_SIZE has no answer in some state (SIZE-2)', () => {
    const r = run({ driver: { ...reference, name: 'size-only-in-session', dataSize: (dev) => (dev.live ? 1 : Number.NaN) }, maxVersion: 1 });
    expect(r.status === 'violation' && r.violation.name).toBe('DataSizeAnsweredInEveryState');
    expect(labels(r)).toEqual(['Init']);
  });

  it('catches a profile whose arc changes the stopped device (FSM-2) and one whose EOF is not permanent (DATA-7)', () => {
    const bump: DriverProfile = {
      ...reference,
      name: 'bumps-on-stop',
      onArc(dev, from, to) {
        reference.onArc(dev, from, to);
        if (from === 'STOP_COPY' && to === 'STOP' && dev.units[0] < 1) dev.units[0]++;
      },
    };
    const r1 = run({ driver: bump, maxVersion: 1 });
    expect(r1.status === 'violation' && r1.violation.name).toBe('StoppedDeviceDoesNotChange');
    const flaky: DriverProfile = {
      ...reference,
      name: 'eof-then-eagain',
      readEmpty: (dev) => (dev.state === 'STOP_COPY' ? (dev.eof ? 'EAGAIN' : 'EOF') : 'ENOMSG'),
    };
    const r2 = run({ driver: flaky, maxVersion: 1 });
    expect(r2.status === 'violation' && r2.violation.name).toBe('EofIsPermanent');
  });
});
