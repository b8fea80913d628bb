// pds's firmware recovery (model/drivers/pds.ts `asyncError`, pds_vfio_recovery() in
// drivers/vfio/pci/pds/pci_drv.c): the device action DriverAsyncError moves the source to ERROR
// on its own and puts the save file (ERR-7); what the fd answers then (SAVE-4); and what QEMU
// does about it (QEMU-3, QEMU-6): a SET that fails after the recovery fails the migration, a
// recovery between SET STOP_COPY and the first read makes QEMU complete it with no device state.

import { describe, expect, it } from 'vitest';
import { reachStep } from './reach.js';
import { readFileSync } from 'node:fs';
import { check, defineSpec, instantiate } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import { repoRoot } from '../specs/discover.js';
import { migrationModel, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import { srcReadResult, srcPrecopyInfoResult } from '../../model/datapath/uapi.js';
import { driverProfile } from '../../model/drivers/index.js';
import { profileProblem, type DriverProfile } from '../../model/drivers/profile.js';
import { noPrecopy } from '../../model/drivers/no-precopy.js';
import type { MigState } from '../../model/states.js';

const pds = driverProfile('pds');


/** The source in STOP_COPY with a fresh save file (SET STOP_COPY from STOP), under the adversarial user; optionally with fd slots. */
function inStopCopy(o: MigrationOptions = {}) {
  const m = migrationModel({ driver: 'pds', units: 1, ...o });
  const s = structuredClone(m.init) as MigrationState;
  m.actions.SrcSetState.next(s, 'STOP_COPY');
  return { m, s };
}

const RECOVERY = 'src: driver: firmware recovery: pds_vfio_recovery() puts the save and restore files';

describe('the asyncError hook', () => {
  it('is data: the states pds_vfio_recovery() leaves for ERROR (every state but RUNNING and ERROR)', () => {
    expect(pds.asyncError?.states).toEqual(['RUNNING_P2P', 'STOP', 'STOP_COPY', 'RESUMING']);
    expect(profileProblem(pds)).toBeNull();
  });

  it('is checked in a profile from outside: ERROR and unknown states are refused', () => {
    const withStates = (states: unknown[]) => ({ ...noPrecopy, name: 'mine', asyncError: { label: 'x', doc: 'x', states } }) as unknown as DriverProfile;
    expect(profileProblem(withStates(['STOP']))).toBeNull();
    expect(profileProblem(withStates(['ERROR']))).toMatch(/asyncError.states: "ERROR" is not a state/);
    expect(profileProblem(withStates(['STOPP']))).toMatch(/asyncError.states: "STOPP"/);
    expect(profileProblem({ ...noPrecopy, name: 'mine', asyncError: { label: 'x' } })).toMatch(/'asyncError' must be \{ label, doc, states \}/);
    expect(profileProblem({ ...noPrecopy, name: 'mine', asyncErorr: {} })).toMatch(/did you mean asyncError\?/);
  });

  it('is an action only for a driver that has it', () => {
    expect(Object.keys(migrationModel({ driver: 'pds' }).actions)).toContain('DriverAsyncError');
    expect(Object.keys(migrationModel({ driver: 'no-precopy' }).actions)).not.toContain('DriverAsyncError');
  });
});

describe('pds firmware recovery on the source', () => {
  it('moves the device to ERROR and ends the saving session; the user keeps its fd', () => {
    const { m, s } = inStopCopy();
    const ev = m.actions.DriverAsyncError;
    expect(ev.enabled!(s, undefined)).toBe(true);
    expect(ev.label!(undefined, s, s)).toBe(`${RECOVERY} (device in ERROR; the saving session ended)`);
    ev.next(s, undefined);
    expect([s.src.state, s.src.live, s.src.held]).toEqual(['ERROR', false, true]);
    // Not again in ERROR, nor in RUNNING (dirty tracking is not modelled).
    expect(ev.enabled!(s, undefined)).toBe(false);
    expect(ev.enabled!(structuredClone(m.init) as MigrationState, undefined)).toBe(false);
  });

  it('leaves a put file: read() answers 0 while nothing was read, EINVAL once something was; precopy_info ENOTTY', () => {
    const cfg = { driver: pds } as never;
    const untouched = inStopCopy();
    untouched.m.actions.DriverAsyncError.next(untouched.s, undefined);
    expect(srcReadResult(untouched.s, cfg)).toEqual({ kind: 'eof' });
    expect(srcPrecopyInfoResult(untouched.s, cfg)).toEqual({ ok: false, errno: 'ENOTTY' });
    const read = inStopCopy();
    read.m.actions.SrcRead.next(read.s, undefined);
    read.m.actions.DriverAsyncError.next(read.s, undefined);
    expect(srcReadResult(read.s, cfg)).toEqual({ kind: 'errno', errno: 'EINVAL' });
  });

  it('ends the session in the fd slots too (control user)', () => {
    const m = migrationModel({ driver: 'pds', user: 'control', maxFds: 1, units: 1 });
    const s = structuredClone(m.init) as MigrationState;
    m.actions.SetState.next(s, { target: 'STOP_COPY' as MigState, fail: -1, toError: false });
    expect(s.fds[0]).toEqual({ held: true, file: 'SAVE' });
    m.actions.DriverAsyncError.next(s, undefined);
    expect([s.src.state, s.fds[0]]).toEqual(['ERROR', { held: true, file: 'ENDED' }]);
  });

  it('is left only by VFIO_DEVICE_RESET: every property of ERROR holds for the adversarial user', () => {
    const r = check(instantiate(defineSpec({ name: 'PdsError', setup: () => migrationModel({ driver: 'pds', units: 1 }) })),
      { invariants: ['OnlyResetLeavesError', 'SetFromErrorFails', 'ResetReturnsToRunning', 'ResetEndsSession', 'OneSessionPerSavingStay'] });
    expect(r.status).toBe('ok');
    const t = reachStep({ driver: 'pds', units: 1 }, (b, a, st) => b.src.state === 'ERROR' && st.action === 'SrcReset' && a.src.state === 'RUNNING');
    expect(t).toEqual(['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3', `${RECOVERY} (device in ERROR; the saving session ended)`, 'src: RESET = 0 (device in RUNNING)']);
  });
});

describe('QEMU and the recovery (qemu-like user)', () => {
  const qemu: MigrationOptions = { driver: 'pds', user: 'qemu-like', units: 1 };

  it('fails the migration when the recovery comes before the save file: the next SET fails, QEMU resets the device', () => {
    const t = reachStep(qemu, (_b, a, st) => st.action === 'QemuNotifyFailure' && a.user.phase === 'failed')!;
    expect(t.slice(-5)).toEqual([
      'src: SET_STATE(RUNNING_P2P) = 0  (vfio_vmstate_change_prepare)',
      `${RECOVERY} (device in ERROR)`,
      'src: SET_STATE(STOP) = -1 EINVAL  (vfio_vmstate_change: recover state ERROR, QEMU resets the device; the migration fails)',
      'src: RESET = 0 (device in RUNNING)  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING)',
      'src: SET_STATE(RUNNING) = 0  (vfio_migration_state_notifier: the migration failed)',
    ]);
  });

  it('fails the migration when the recovery comes after a read: the next read answers EINVAL (vfio_save_block)', () => {
    const t = reachStep({ ...qemu, units: 2 }, (_b, a, st) => st.action === 'QemuDrainRead' && a.user.phase === 'aborting')!;
    expect(t).toContain('src: read(3) = [final unit 0 v0]  (vfio_save_complete_precopy)');
    expect(t.slice(-2)).toEqual([
      `${RECOVERY} (device in ERROR; the saving session ended)`,
      'src: read(3) = -1 EINVAL  (vfio_save_complete_precopy: the read failed, the migration fails)',
    ]);
    // Once something was read, QEMU never takes the put file for a complete stream.
    expect(reachStep({ ...qemu, units: 2 }, (b, a) => b.src.drv.readAny === true && b.src.state === 'ERROR' && b.user.phase !== 'sent' && a.user.phase === 'sent')).toBeNull();
  });

  it('completes the migration with no device state when the recovery comes between SET STOP_COPY and the first read', () => {
    // The source's cleanup SET STOP fails from ERROR and QEMU resets it: the last step of a completed migration.
    const t = reachStep(qemu, (_b, a, st) => st.action === 'QemuResetSource' && a.user.phase === 'done')!;
    expect(t).toContain(`${RECOVERY} (device in ERROR; the saving session ended)`);
    expect(t).toContain('src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)');
    expect(t.some((l) => l.startsWith('dst: write('))).toBe(false);
    expect(t).toContain('dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [-]; the source has [v0])  (vfio_vmstate_change_prepare, VM start)');
    expect(t.slice(-2)).toEqual([
      'src: SET_STATE(STOP) = -1 EINVAL  (vfio_save_cleanup: recover state ERROR, QEMU resets the device); close(3)',
      'src: RESET = 0 (device in RUNNING)  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING)',
    ]);
  });
});

describe('docs/vfio-model.md: pds under QEMU', () => {
  const doc = readFileSync(new URL('../../docs/vfio-model.md', import.meta.url), 'utf8');
  const m = /pds under QEMU, as `(npx migcheck [^`]+)`[\s\S]*?```\n([\s\S]*?)\n```/.exec(doc);

  it('shows the trace\'s last steps as the command prints them', async () => {
    expect(m).not.toBeNull();
    const [, command, shown] = m!;
    let out = '';
    const code = await main(command.replace(/^npx migcheck /, '').split(' '), { out: (x) => { out += x; }, err: (x) => { out += x; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
    expect(code).not.toBe(0);
    const real = out.split('\n');
    let at = 0;
    for (const line of shown.split('\n')) {
      const i = real.indexOf(line, at);
      expect(i, `not in the output (in order): ${line}`).toBeGreaterThanOrEqual(0);
      at = i + 1;
    }
  });
});
