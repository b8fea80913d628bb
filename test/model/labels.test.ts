// Trace labels (issue 10, item 9): RESET says the state it leaves and what became of the
// live session; a SET's data_fd is named by the arc that really returned it.

import { describe, it, expect } from 'vitest';
import { check, instantiate, type CheckResult } from '../../checker/index.js';
import { migrationSpec, reference, sessionEffect, type DriverProfile, type MigrationOptions, type MigrationState } from '../../model/index.js';

const labels = (r: CheckResult): string[] => (r.status === 'violation' ? r.violation.trace.map((s) => s.label) : []);
const control = (opts: MigrationOptions, name: string, constants: Record<string, string> = {}) =>
  check(instantiate(migrationSpec({ name: 'Labels', doc: '', user: 'control', features: 'STOP_COPY|P2P|PRE_COPY', units: 1, maxFds: 2, ...opts }), constants), { invariants: [name] });
const driverWith = (name: string, hooks: Partial<DriverProfile>): DriverProfile => ({ ...reference, name, ...hooks });

describe('the control user', () => {
  it('RESET shows the state it leaves', () => {
    const driver = driverWith('reset-to-stop', { reset: () => ({ state: 'STOP', endsSession: true }) });
    expect(labels(control({ driver }, 'ResetReturnsToRunning'))).toEqual(['Init', 'RESET = 0 (device in STOP)']);
  });

  it('RESET says when the session stays live', () => {
    const driver = driverWith('reset-keeps-session', { reset: () => ({ state: 'RUNNING', endsSession: false }) });
    expect(labels(control({ driver }, 'ResetEndsEverySession')).at(-1)).toBe('RESET = 0 (device in RUNNING; the saving session stays live)');
  });

  it('an fd from the final arc is named as such when an intermediate arc opened a session too', () => {
    // Opens a saving session on RUNNING->STOP (when asked for STOP_COPY) and another on STOP->STOP_COPY, without the guard:
    // the user gets the final arc's fd; the label said "from intermediate arc" before.
    const r = control({
      driver: driverWith('opens-twice', {
        guardIntermediateFd: false,
        arcSessions: (from, to, _live, target) => (to === 'STOP' && target === 'STOP_COPY' ? { opens: 'save' } : sessionEffect(from, to)),
      }),
    }, 'NewFdOnlyFromFinalArc', { FEATURES: 'STOP_COPY' });
    expect(r.status).toBe('violation');
    expect(labels(r).at(-1)).toBe('SET_STATE(STOP_COPY) = 0, data_fd=4 (from final arc STOP->STOP_COPY; intermediate arc RUNNING->STOP opened a session too)');
  });
});

describe('the data path', () => {
  it('RESET of either device shows the state it leaves and the session it ends', () => {
    const inst = instantiate(migrationSpec({ name: 'Labels', doc: '', units: 1 }));
    const act = (n: string) => inst.actions.find((a) => a.name === n)!.def as unknown as { label: (p: unknown, b: MigrationState, a: MigrationState) => string };
    const s0 = inst.init[0] as MigrationState;
    expect(act('SrcReset').label(undefined, s0, s0)).toBe('src: RESET = 0 (device in RUNNING)');
    const live = structuredClone(s0);
    live.src.live = true;
    live.src.state = 'STOP_COPY';
    expect(act('SrcReset').label(undefined, live, live)).toBe('src: RESET = 0 (device in RUNNING; the saving session ended)');
    const resuming = structuredClone(s0);
    resuming.dst.live = true;
    resuming.dst.state = 'RESUMING';
    expect(act('DstReset').label(undefined, resuming, resuming)).toBe('dst: RESET = 0 (device in RUNNING; the resuming session ended)');
  });
});
