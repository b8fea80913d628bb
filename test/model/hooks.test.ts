// The optional driver-profile hooks (model/drivers/profile.ts): each defaults to the kernel's
// behaviour, and a profile that overrides one changes exactly that behaviour, with the
// property that judges it. Private driver state is part of the source's schema: typed,
// shown in traces, checked by TypeOK.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, ConfigError, type CheckResult } from '../../checker/index.js';
import { migrationModel, migrationConfig, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import { driverProfile, profileProblem, reference, noPrecopy, staticHeaderLike, type DriverProfile } from '../../model/drivers/index.js';
import { KERNEL_RESET, staleInfoStateFirst } from '../../model/drivers/profile.js';
import { initialSource, readResult, precopyInfoResult, resetSource } from '../../model/datapath/source.js';
import { sourceSchema } from '../../model/datapath/stream.js';
import { initialDestination, streamAccepted } from '../../model/datapath/destination.js';
import { initialLink, initialLastSet, srcSet, srcReset, srcRead, srcPrecopyInfo, dstSet } from '../../model/datapath/uapi.js';
import { NONE } from '../../model/datapath/stream.js';

function run(o: MigrationOptions): CheckResult<MigrationState> {
  const spec = defineSpec({ name: 'test', setup: () => migrationModel(o) });
  return check(instantiate(spec), {}) as CheckResult<MigrationState>;
}

function start(driver: DriverProfile) {
  const cfg = migrationConfig({ driver });
  const s: MigrationState = { src: initialSource(cfg.bounds, driver), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
  return { s, cfg };
}

describe('reset', () => {
  it('defaults to the kernel: RUNNING, the session ended (ERR-4, ERR-6)', () => {
    const { s, cfg } = start(reference);
    srcSet(s, 'STOP_COPY', cfg);
    srcReset(s, cfg);
    expect([s.src.state, s.src.live]).toEqual(['RUNNING', false]);
    expect(srcRead(s, cfg)).toEqual({ kind: 'errno', errno: 'ENODEV' });
  });

  it('follows the hook: a reset that keeps the session is caught by ResetEndsSession', () => {
    const keeps: DriverProfile = { ...reference, name: 'keeps', reset: () => ({ state: 'RUNNING', endsSession: false }) };
    const dev = initialSource({ units: 1, maxVersion: 1 });
    dev.state = 'STOP_COPY';
    dev.live = true;
    resetSource(dev, keeps);
    expect([dev.state, dev.live]).toEqual(['RUNNING', true]);
    const r = run({ driver: keeps, units: 1, reinit: false });
    expect(r.status === 'violation' && r.violation.name).toBe('ResetEndsSession');
  });

  it('a reset that keeps the cached state is caught by ResetReturnsToRunning (ending only the session: OneSessionPerSavingStay first)', () => {
    const endsOnly: DriverProfile = { ...reference, name: 'ends-only', reset: () => ({ state: 'keep', endsSession: true }) };
    const e = run({ driver: endsOnly, units: 1, reinit: false });
    expect(e.status === 'violation' && e.violation.name).toBe('OneSessionPerSavingStay');
    const stays: DriverProfile = { ...reference, name: 'stays', reset: () => ({ state: 'keep', endsSession: false }) };
    const r = run({ driver: stays, units: 1, reinit: false });
    expect(r.status === 'violation' && r.violation.name).toBe('ResetReturnsToRunning');
    expect(r.status === 'violation' && r.violation.trace.map((t) => t.label)).toEqual(['Init', 'src: SET_STATE(PRE_COPY) = 0, data_fd=3', 'src: RESET = 0 (device in PRE_COPY; the saving session stays live)']);
  });

  it('KERNEL_RESET is what an absent hook means: the same state space', () => {
    const explicit: DriverProfile = { ...reference, name: 'explicit', reset: () => KERNEL_RESET };
    const a = run({ driver: reference, units: 1, reinit: false });
    const b = run({ driver: explicit, units: 1, reinit: false });
    expect(a.status).toBe('ok');
    expect(b.stats.distinct).toBe(a.stats.distinct);
    expect(b.stats.generated).toBe(a.stats.generated);
  });
});

describe('answers on an ended session', () => {
  const ended = () => {
    const dev = initialSource({ units: 1, maxVersion: 1 });
    dev.state = 'STOP';
    return dev;
  };

  it('default to ENODEV for read() and precopy_info (SAVE-4)', () => {
    expect(readResult(ended(), reference)).toEqual({ kind: 'errno', errno: 'ENODEV' });
    expect(precopyInfoResult(ended(), reference)).toEqual({ ok: false, errno: 'ENODEV' });
  });

  it('follow staleRead (pds: EINVAL or 0) and stalePrecopyInfo (device state first)', () => {
    const pds: DriverProfile = { ...noPrecopy, name: 'pds-ish', staleRead: (d) => (d.state === 'RUNNING' ? 'EOF' : 'EINVAL') };
    expect(readResult(ended(), pds)).toEqual({ kind: 'errno', errno: 'EINVAL' });
    const running = ended();
    running.state = 'RUNNING';
    expect(readResult(running, pds)).toEqual({ kind: 'eof' });
    const real: DriverProfile = { ...reference, name: 'real', stalePrecopyInfo: staleInfoStateFirst };
    expect(precopyInfoResult(ended(), real)).toEqual({ ok: false, errno: 'EINVAL' });
    const inPre = ended();
    inPre.state = 'PRE_COPY';
    expect(precopyInfoResult(inPre, real)).toEqual({ ok: false, errno: 'ENODEV' });
  });

  it('an EOF on a dead fd is not taken for the end of a live STOP_COPY session', () => {
    const zero: DriverProfile = { ...reference, name: 'zero', staleRead: () => 'EOF' };
    const { s, cfg } = start(zero);
    srcSet(s, 'STOP_COPY', cfg);
    srcSet(s, 'STOP', cfg);
    s.src.state = 'STOP_COPY';
    expect(srcRead(s, cfg)).toEqual({ kind: 'eof' });
    expect(s.src.eof).toBe(false);
  });
});

describe('what RESUMING->STOP checks', () => {
  const dst = () => {
    const d = initialDestination({ units: 2, maxVersion: 1 });
    d.state = 'RESUMING';
    d.live = true;
    return d;
  };

  it('nothing, the end record, or the length (every unit arrived)', () => {
    const d = dst();
    expect(streamAccepted(d, 'nothing')).toBe(true);
    expect(streamAccepted(d, 'end')).toBe(false);
    expect(streamAccepted(d, 'length')).toBe(false);
    d.units = [0, 0];
    expect(streamAccepted(d, 'length')).toBe(true);
    expect(streamAccepted(d, 'end')).toBe(false);
    d.complete = true;
    expect(streamAccepted(d, 'end')).toBe(true);
    expect(streamAccepted(d, true)).toBe(true);
    d.units = [0, NONE];
    expect(streamAccepted(d, 'length')).toBe(false);
  });

  it('resumeCheck overrides detectsIncomplete; DETECT_INCOMPLETE still forces it', () => {
    const byLength: DriverProfile = { ...staticHeaderLike, name: 'by-length', resumeCheck: 'length' };
    expect(migrationConfig({ driver: byLength }).resumeCheck).toBe('length');
    expect(migrationConfig({ driver: byLength, detectIncomplete: 'no' }).resumeCheck).toBeUndefined();
    const { s, cfg } = start(byLength);
    dstSet(s, 'RESUMING', cfg);
    expect(dstSet(s, 'STOP', cfg).ret).toBe('EIO');
    s.dst.units = [0, 0];
    expect(dstSet(s, 'STOP', cfg).ret).toBe('OK');
  });
});

describe('private driver state', () => {
  /** Counts the sessions it has seen, in a private field (saturating at 2). */
  const counting: DriverProfile = {
    ...reference,
    name: 'counting',
    state: { sessions: { type: 'int', min: 0, max: 2, init: 0, doc: 'saving sessions opened so far (saturates)' } },
    onArc(dev, from, to) {
      if (to === 'STOP_COPY' || (to === 'PRE_COPY' && from === 'RUNNING')) dev.drv.sessions = Math.min(2, (dev.drv.sessions as number) + 1);
      reference.onArc(dev, from, to);
    },
  };

  it('is a schema field of the source, initialised from the profile', () => {
    const schema = sourceSchema({ units: 1, maxVersion: 1 }, counting);
    expect(schema.fields.drv.fields).toEqual({ sessions: { kind: 'int', min: 0, max: 2 } });
    expect(initialSource({ units: 1, maxVersion: 1 }, counting).drv).toEqual({ sessions: 0 });
    expect(initialSource({ units: 1, maxVersion: 1 }).drv).toEqual({});
  });

  it('multiplies the state space as a real variable and shows in traces', () => {
    const base = run({ driver: reference, units: 1, reinit: false });
    const r = run({ driver: counting, units: 1, reinit: false });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBeGreaterThan(base.stats.distinct);
  });

  it('is checked by TypeOK: a hook that leaves the declared range is an error', () => {
    const over: DriverProfile = { ...counting, name: 'over', onArc(dev, from, to) { dev.drv.sessions = 3; reference.onArc(dev, from, to); } };
    const r = run({ driver: over, units: 1, reinit: false });
    expect(r.status).not.toBe('ok');
    const text = JSON.stringify(r.status === 'violation' ? r.violation : r.status === 'error' ? r.error : r);
    expect(text).toMatch(/drv|sessions|TypeOK/);
  });

  it('without HISTORY the history fields are constants of the schema: a hook that writes one fails TypeOK', () => {
    const b = { units: 1, maxVersion: 1 };
    expect(sourceSchema(b, reference, false).fields.readPre).toEqual({ kind: 'int', min: 0, max: 0 });
    expect(sourceSchema(b, reference, false).fields.infoInitial).toEqual({ kind: 'int', min: NONE, max: NONE });
    expect(sourceSchema(b, reference).fields.readPre.max).toBeGreaterThan(0);
    const writes: DriverProfile = { ...reference, name: 'writes-history', onArc(dev, from, to) { reference.onArc(dev, from, to); if (to === 'STOP_COPY') dev.trailer = 1; } };
    const off = run({ driver: writes, units: 1, reinit: false });
    expect(off.status).toBe('violation');
    expect(JSON.stringify(off.status === 'violation' ? off.violation : off)).toMatch(/TypeOK/);
    expect(run({ driver: writes, units: 1, reinit: false, history: true }).status).not.toBe('violation');
  });

  it('bad declarations are named', () => {
    expect(profileProblem({ ...reference, state: { x: { type: 'float', init: 0, doc: '' } } })).toMatch(/state\.x: type must be 'bool' or 'int'/);
    expect(profileProblem({ ...reference, state: { x: { type: 'int', min: 0, max: 1, init: 2, doc: 'd' } } })).toMatch(/init must be an integer in 0\.\.1/);
    expect(profileProblem({ ...reference, state: { x: { type: 'bool', init: true } } })).toMatch(/needs a doc string/);
    expect(profileProblem({ ...reference, resumeCheck: 'all' })).toMatch(/'resumeCheck' must be one of nothing, end, length, header-or-whole/);
    expect(profileProblem({ ...reference, reset: 'RUNNING' })).toMatch(/'reset' must be a function/);
    expect(profileProblem({ ...reference, onRead: true })).toMatch(/'onRead' must be a function when given/);
    expect(profileProblem({ ...reference, onReed: () => {} })).toMatch(/unknown key 'onReed' \(did you mean onRead\?\)/);
    expect(profileProblem({ ...reference, staleReed: () => 'EOF' })).toMatch(/unknown key 'staleReed' \(did you mean staleRead\?\)/);
    expect(profileProblem({ ...reference, failState: 'STOP' })).toMatch(/'failState' must be a function/);
    expect(profileProblem({ ...reference, arcSessions: {} })).toMatch(/'arcSessions' must be a function/);
    expect(profileProblem({ ...reference, guardIntermediateFd: 'yes' })).toMatch(/'guardIntermediateFd' must be true or false/);
    expect(profileProblem({ ...reference, arcSession: () => ({}) })).toMatch(/unknown key 'arcSession' \(did you mean arcSessions\?\)/);
    expect(profileProblem({ ...reference, guardIntermediateFd: false, failState: (r: string) => r, arcSessions: () => ({}) })).toBeNull();
    expect(() => driverProfile({ ...reference, stat: {} } as unknown as DriverProfile)).toThrow(ConfigError);
  });
});

describe('precopy_info input flags', () => {
  it('a kernel that echoes input hands the REINIT bit back; v7.1 does not (PRECOPY-14)', () => {
    for (const [kernel, echoed] of [['v6.2', true], ['v7.1', false]] as const) {
      const cfg = migrationConfig({ driver: reference, kernel });
      const s: MigrationState = { src: initialSource(cfg.bounds), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
      srcSet(s, 'PRE_COPY', cfg);
      const a = srcPrecopyInfo(s, cfg, 'REINIT');
      expect(a.ok && a.reinit).toBe(echoed);
      const b = srcPrecopyInfo(s, cfg);
      expect(b.ok && b.reinit).toBe(false);
    }
  });
});

describe('an arc that fails after partial effects, and a driver event', () => {
  /**
   * mlx5-ish: the firmware may fail (a driver event that sets a private bit); then
   * PRE_COPY->RUNNING disables the fds and fails with EIO, leaving PRE_COPY with no session.
   */
  const fwFails: DriverProfile = {
    ...reference,
    name: 'fw-fails',
    state: { fwError: { type: 'bool', init: false, doc: 'the firmware failed a command' } },
    event: {
      label: 'firmware command fails',
      doc: 'the device firmware fails a migration command',
      enabled: (dev) => dev.live && !dev.drv.fwError,
      apply: (dev) => { dev.drv.fwError = true; },
    },
    failArc: (dev, from, to) => (dev.drv.fwError && from === 'PRE_COPY' && to === 'RUNNING' ? { endsSession: true } : null),
  };

  it('the SET returns EIO, the device stays in the arc\'s start, the session ended first', () => {
    const { s, cfg } = start(fwFails);
    srcSet(s, 'PRE_COPY', cfg);
    s.src.drv.fwError = true;
    const r = srcSet(s, 'RUNNING', cfg);
    expect([r.ret, r.reached, r.failed, s.src.state, s.src.live]).toEqual(['EIO', 'PRE_COPY', 'PRE_COPY->RUNNING', 'PRE_COPY', false]);
  });

  it('is caught by OneSessionPerSavingStay, the event and the EIO in the trace', () => {
    const r = run({ driver: fwFails, units: 1, reinit: false });
    expect(r.status === 'violation' && r.violation.name).toBe('OneSessionPerSavingStay');
    expect(r.status === 'violation' && r.violation.trace.map((t) => t.label)).toEqual([
      'Init',
      'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
      'src: driver: firmware command fails',
      'src: SET_STATE(STOP) = -1 EIO (PRE_COPY->RUNNING: the arc failed; device stays in PRE_COPY)',
    ]);
  });

  it('bad hooks are named', () => {
    expect(profileProblem({ ...reference, failArc: true })).toMatch(/'failArc' must be a function/);
    expect(profileProblem({ ...reference, event: { label: 'x' } })).toMatch(/'event' must be \{ label, doc, enabled\(dev\), apply\(dev\) \}/);
  });
});
