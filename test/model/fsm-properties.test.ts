// Each property of a SET (the control half of the migration model, driven by the control
// user) is shown to fail on a hand-made bad table, step or walk function, or driver profile
// whose control hooks differ from the kernel's: a property that cannot fail would prove
// nothing. The kernel's configuration passing every property is the golden test's job
// (specs/vfio/fsm.spec.ts).

import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check, instantiate, type CheckResult } from '../../checker/index.js';
import {
  KERNEL_TABLE, migrationSpec, reference, nextStep, walk, withNextSteps, loadTable, sessionEffect,
  type MigrationOptions, type DriverProfile, type MigrationState, type StepFunction, type WalkFunction,
} from '../../model/index.js';

/** The control configuration of the migration model (as specs/vfio/fsm.spec.ts), with options on top. */
const controlSpec = (opts: MigrationOptions = {}) =>
  migrationSpec({ name: 'VfioFsmTest', doc: 'the control user', user: 'control', features: 'STOP_COPY|P2P|PRE_COPY', units: 1, maxFds: 2, ...opts });

/** The reference driver with some control hooks changed. */
const driverWith = (name: string, hooks: Partial<DriverProfile>): DriverProfile => ({ ...reference, name, ...hooks });

function checkOne(name: string, opts: MigrationOptions, constants: Record<string, string | number | boolean> = {}): CheckResult {
  return check(instantiate(controlSpec(opts), constants), { invariants: [name] });
}

function expectViolation(r: CheckResult, name: string): string[] {
  expect(r.status, r.status === 'violation' ? '' : `expected ${name} to be violated`).toBe('violation');
  if (r.status !== 'violation') return [];
  expect(r.violation.name).toBe(name);
  return r.violation.trace.map((s) => s.label);
}

const throughSavingGroup = loadTable(fileURLToPath(new URL('../../specs/vfio/tables/through-saving-group.json', import.meta.url)));
describe('every property of a SET can fail', () => {
  it('EverySetReturns (KERN-1): a table whose walk cycles is reported with the cycle, not hung', () => {
    const table = withNextSteps(KERNEL_TABLE, { RUNNING_P2P: { STOP: 'RUNNING' } });
    const trace = expectViolation(checkOne('EverySetReturns', { table }, { FEATURES: 'STOP_COPY|P2P' }), 'EverySetReturns');
    expect(trace).toEqual(['Init', 'SET_STATE(STOP) never returns: the walk does not terminate: RUNNING->RUNNING_P2P->RUNNING repeats RUNNING->RUNNING_P2P->RUNNING for ever']);
  });

  it('SuccessfulSetReachesTarget (SET-1): a walk function that stops one arc short', () => {
    const short: WalkFunction = (t, f, cur, target, step) => {
      const w = walk(t, f, cur, target, step);
      return w.outcome === 'ok' && w.arcs.length > 1 ? { ...w, path: w.path.slice(0, -1), arcs: w.arcs.slice(0, -1) } : w;
    };
    expectViolation(checkOne('SuccessfulSetReachesTarget', { walk: short }), 'SuccessfulSetReachesTarget');
  });

  it('EveryArcIsMandatory (FSM-12): a table that jumps RUNNING->STOP_COPY', () => {
    const table = withNextSteps(KERNEL_TABLE, { RUNNING: { STOP_COPY: 'STOP_COPY' } });
    const trace = expectViolation(checkOne('EveryArcIsMandatory', { table }, { FEATURES: 'STOP_COPY' }), 'EveryArcIsMandatory');
    expect(trace).toEqual(['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3']);
  });

  it('PathsAreShortest (COMB-1) and SavingGroupMembershipChangesAtMostOnce (COMB-2): a table through the saving group', () => {
    const opts = { table: throughSavingGroup };
    expectViolation(checkOne('PathsAreShortest', opts, { FEATURES: 'STOP_COPY|PRE_COPY' }), 'PathsAreShortest');
    expectViolation(checkOne('SavingGroupMembershipChangesAtMostOnce', opts, { FEATURES: 'STOP_COPY|PRE_COPY' }), 'SavingGroupMembershipChangesAtMostOnce');
  });

  it('NewFdOnlyFromFinalArc (COMB-4): a table that opens the session on the first of two arcs', () => {
    const table = withNextSteps(KERNEL_TABLE, { RUNNING_P2P: { PRE_COPY: 'PRE_COPY_P2P' } });
    const trace = expectViolation(checkOne('NewFdOnlyFromFinalArc', { table }), 'NewFdOnlyFromFinalArc');
    expect(trace.at(-1)).toBe('SET_STATE(PRE_COPY) = -1 EINVAL (driver dropped the data_fd of intermediate arc RUNNING_P2P->PRE_COPY_P2P; device in PRE_COPY_P2P)');
  });

  it('DataFdOnlyWhenSessionStarts (SET-4): a driver that forgets the fd of STOP->STOP_COPY', () => {
    const driver = driverWith('forgets-stop-copy-fd', { arcSessions: (a, b) => (a === 'STOP' && b === 'STOP_COPY' ? {} : sessionEffect(a, b)) });
    const trace = expectViolation(checkOne('DataFdOnlyWhenSessionStarts', { driver }, { FEATURES: 'STOP_COPY' }), 'DataFdOnlyWhenSessionStarts');
    expect(trace).toEqual(['Init', 'SET_STATE(STOP_COPY) = 0']);
  });

  it('SessionUnchangedWithinSavingGroup (SAVE-2): a driver that starts a new stream on PRE_COPY->PRE_COPY_P2P', () => {
    const driver = driverWith('new-stream-in-group', {
      arcSessions: (a, b) => (a === 'PRE_COPY' && b === 'PRE_COPY_P2P' ? { ends: true, opens: 'save' } : sessionEffect(a, b)),
    });
    const trace = expectViolation(checkOne('SessionUnchangedWithinSavingGroup', { driver }), 'SessionUnchangedWithinSavingGroup');
    // The first request that moves within the saving group is PRE_COPY->STOP_COPY (targets are tried in kernel order).
    expect(trace).toEqual(['Init', 'SET_STATE(PRE_COPY) = 0, data_fd=3',
      'SET_STATE(STOP_COPY) = -1 EINVAL (driver dropped the data_fd of intermediate arc PRE_COPY->PRE_COPY_P2P; device in PRE_COPY_P2P)']);
  });

  it('AtMostOneLiveSession (SAVE-5) and SessionOnlyInItsStates (SAVE-3): a driver whose PRE_COPY->RUNNING keeps the session', () => {
    const driver = driverWith('keeps-session-on-abort', { arcSessions: (a, b) => (a === 'PRE_COPY' && b === 'RUNNING' ? {} : sessionEffect(a, b)) });
    const c = { FEATURES: 'STOP_COPY|PRE_COPY' };
    expect(expectViolation(checkOne('SessionOnlyInItsStates', { driver }, c), 'SessionOnlyInItsStates'))
      .toEqual(['Init', 'SET_STATE(PRE_COPY) = 0, data_fd=3', 'SET_STATE(STOP) = 0']);
    expect(expectViolation(checkOne('AtMostOneLiveSession', { driver }, c), 'AtMostOneLiveSession'))
      .toEqual(['Init', 'SET_STATE(PRE_COPY) = 0, data_fd=3', 'SET_STATE(RESUMING) = 0, data_fd=4']);
  });

  it('ErrorIsNeverRequestable (ERR-1): a step function that steps to ERROR when asked', () => {
    const step: StepFunction = (t, f, cur, target) => (target === 'ERROR' ? { kind: 'step', next: 'ERROR', skipped: [] } : nextStep(t, f, cur, target));
    expect(expectViolation(checkOne('ErrorIsNeverRequestable', { step }), 'ErrorIsNeverRequestable')).toEqual(['Init', 'SET_STATE(ERROR) = 0']);
  });

  it('OnlyResetLeavesError (ERR-4) and SetFromErrorFails (ERR-5): a step function that walks out of ERROR', () => {
    const step: StepFunction = (t, f, cur, target) => (cur === 'ERROR' ? { kind: 'step', next: target, skipped: [] } : nextStep(t, f, cur, target));
    const c = { FEATURES: 'STOP_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true };
    const want = ['Init', 'SET_STATE(STOP) = -1 EIO (arc RUNNING->STOP failed; device in ERROR)', 'SET_STATE(STOP) = 0'];
    expect(expectViolation(checkOne('OnlyResetLeavesError', { step }, c), 'OnlyResetLeavesError')).toEqual(want);
    expect(expectViolation(checkOne('SetFromErrorFails', { step }, c), 'SetFromErrorFails')).toEqual(want);
  });

  it('ResetReturnsToRunning (ERR-4): a reset that leaves the device in STOP', () => {
    const driver = driverWith('reset-to-stop', { reset: () => ({ state: 'STOP', endsSession: true }) });
    expect(expectViolation(checkOne('ResetReturnsToRunning', { driver }), 'ResetReturnsToRunning')).toEqual(['Init', 'RESET = 0 (device in STOP)']);
  });

  it('ResetEndsEverySession (ERR-6): a reset that leaves the session alive', () => {
    const driver = driverWith('reset-keeps-session', { reset: () => ({ state: 'RUNNING', endsSession: false }) });
    expect(expectViolation(checkOne('ResetEndsEverySession', { driver }), 'ResetEndsEverySession'))
      .toEqual(['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3', 'RESET = 0 (device in RUNNING; the saving session stays live)']);
  });

  it('StopCopyToPreCopyRefused (FSM-11): a table that routes STOP_COPY->PRE_COPY through STOP', () => {
    const table = withNextSteps(KERNEL_TABLE, { STOP_COPY: { PRE_COPY: 'STOP' } });
    const trace = expectViolation(checkOne('StopCopyToPreCopyRefused', { table }, { FEATURES: 'STOP_COPY|PRE_COPY' }), 'StopCopyToPreCopyRefused');
    // fd 3 stays open but dead after STOP_COPY->STOP, so the new session gets fd 4.
    expect(trace).toEqual(['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3', 'SET_STATE(PRE_COPY) = 0, data_fd=4']);
  });

  it('FailedSetStopsOnItsPath (SET-3): a driver that lands somewhere off the path after a failure', () => {
    const driver = driverWith('fails-into-stop-copy', { failState: () => 'STOP_COPY' });
    const c = { FEATURES: 'STOP_COPY', ARC_FAILURES: true };
    expect(expectViolation(checkOne('FailedSetStopsOnItsPath', { driver }, c), 'FailedSetStopsOnItsPath'))
      .toEqual(['Init', 'SET_STATE(STOP) = -1 EIO (arc RUNNING->STOP failed; device in STOP_COPY)']);
  });

  it('SetMatchesKernel (COMB-3): a table with another shortest route that obeys every other rule', () => {
    // PRE_COPY->STOP via PRE_COPY_P2P and RUNNING_P2P instead of RUNNING and RUNNING_P2P.
    const table = withNextSteps(KERNEL_TABLE, { PRE_COPY: { STOP: 'PRE_COPY_P2P' } });
    const r = check(instantiate(controlSpec({ table })));
    expect(expectViolation(r, 'SetMatchesKernel')).toEqual(['Init', 'SET_STATE(PRE_COPY) = 0, data_fd=3', 'SET_STATE(STOP) = 0']);
  });
});

describe('the control configuration of the migration model', () => {
  it('lets an fd outlive its session: after a reset the held fd is open but dead (SAVE-4, ERR-6)', () => {
    const inst = instantiate(controlSpec(), { FEATURES: 'STOP_COPY' });
    const set = inst.actions.find((a) => a.name === 'SetState')!.def;
    const reset = inst.actions.find((a) => a.name === 'Reset')!.def;
    const s1 = structuredClone(inst.init[0]) as MigrationState;
    set.next(s1 as never, { target: 'STOP_COPY', fail: -1, toError: false });
    expect(s1.fds[0]).toEqual({ held: true, file: 'SAVE' });
    expect(s1.src.live && s1.src.held).toBe(true);
    const s2 = structuredClone(s1);
    reset.next(s2 as never, undefined);
    expect(s2.fds[0]).toEqual({ held: true, file: 'ENDED' });
    expect([s2.src.live, s2.src.held]).toEqual([false, true]);
  });

  it('offers the device no data steps beside the control user, and needs fd slots', () => {
    const names = instantiate(controlSpec()).actions.map((a) => a.name);
    expect([...new Set(names)]).toEqual(['SetState', 'GetState', 'Reset', 'CloseFd']);
    expect(() => instantiate(controlSpec(), { MAX_FDS: 0 })).toThrow(/user control: MAX_FDS must be at least 1/);
  });

  it('rejects FAIL_TO_ERROR without ARC_FAILURES and a bad feature set with a configuration error', () => {
    expect(() => instantiate(controlSpec(), { FAIL_TO_ERROR: true })).toThrow(/FAIL_TO_ERROR needs ARC_FAILURES/);
    expect(() => instantiate(controlSpec(), { FEATURES: 'P2P,FAST' })).toThrow(/unknown migration flag 'FAST'/);
  });

  it('loads the TABLE constant from a file', () => {
    const file = fileURLToPath(new URL('../../specs/vfio/tables/through-saving-group.json', import.meta.url));
    const r = check(instantiate(controlSpec(), { TABLE: file, FEATURES: 'STOP_COPY|PRE_COPY' }));
    expect(r.status).toBe('violation');
    expect(() => instantiate(controlSpec(), { TABLE: '/nonexistent/table.json' })).toThrow(/table\.json: cannot read the table/);
  });
});

describe('the control hooks on the data path (one model, one driver profile)', () => {
  const dataPath = (driver: DriverProfile, name: string) =>
    check(instantiate(migrationSpec({ name: 'DataPath', doc: 'the adversarial user', driver, units: 1 })), { invariants: [name] });

  it('an early fd without the guard breaks NewFdOnlyFromFinalArc (COMB-4) for the adversarial user too', () => {
    const driver = driverWith('early-fd', {
      guardIntermediateFd: false,
      arcSessions: (from, to, _live, target) => (to === 'STOP' && target === 'STOP_COPY' ? { opens: 'save' } : from === 'STOP' && to === 'STOP_COPY' ? {} : sessionEffect(from, to)),
    });
    expect(expectViolation(dataPath(driver, 'NewFdOnlyFromFinalArc'), 'NewFdOnlyFromFinalArc')).toEqual(['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3']);
  });

  it('failState decides where the driver\'s own failing arc leaves the device (FailedSetStopsOnItsPath, SET-3)', () => {
    const driver = driverWith('fails-into-stop-copy', {
      failArc: (_dev, from, to) => (from === 'RUNNING' && to === 'PRE_COPY' ? { endsSession: false } : null),
      failState: () => 'STOP_COPY',
    });
    expect(expectViolation(dataPath(driver, 'FailedSetStopsOnItsPath'), 'FailedSetStopsOnItsPath'))
      .toEqual(['Init', 'src: SET_STATE(PRE_COPY) = -1 EIO (RUNNING->PRE_COPY: the arc failed; device stays in STOP_COPY)']);
  });
});
