// User (VMM) models: the registry, QEMU's sequence as the qemu-like user runs it, the data
// loss QEMU's ENOMSG handling causes with a driver that answers ENOMSG in STOP_COPY
// (QEMU-3), and what switchover-ack changes (QEMU-5, REINIT-6).

import { describe, expect, it } from 'vitest';
import { reachStep } from './reach.js';
import { check, defineSpec, instantiate, ConfigError, type CheckResult } from '../../checker/index.js';
import { migrationModel, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import { USERS, userModel, userNames, adversarial } from '../../model/users/index.js';
import { migrationConfig } from '../../model/datapath/migration.js';

/** The shortest trace to a state where `goal` holds, or null when none is reachable. */
function reach(o: MigrationOptions, goal: (s: MigrationState) => boolean): string[] | null {
  const m = migrationModel(o);
  const spec = defineSpec({ name: 'reach', setup: () => ({ ...m, invariants: { NotGoal: (s: MigrationState) => !goal(s) } }) as never });
  const r = check(instantiate(spec), { invariants: ['NotGoal'] });
  if (r.status === 'ok') return null;
  if (r.status !== 'violation') throw new Error(`unexpected ${r.status}`);
  return r.violation.trace.map((t) => t.label);
}


function run(o: MigrationOptions, invariants?: string[]): CheckResult<MigrationState> {
  const spec = defineSpec({ name: 'test', setup: () => migrationModel(o) });
  return check(instantiate(spec), { invariants }) as CheckResult<MigrationState>;
}

const phase = (s: MigrationState) => s.user.phase;

describe('the registry', () => {
  it('has the adversarial user first (the default) and the qemu-like user', () => {
    expect(userNames()).toEqual(['adversarial', 'qemu-like']);
    expect(USERS[0]).toBe(adversarial);
    expect(migrationConfig().user).toBe(adversarial);
  });

  it('names the known users when asked for an unknown one', () => {
    expect(() => userModel('libvirt')).toThrow(ConfigError);
    expect(() => userModel('libvirt')).toThrow("unknown user 'libvirt'; known users: adversarial, qemu-like");
  });

  it('gives the adversarial user every target its role allows, and no close()', () => {
    const cfg = migrationConfig();
    const names = Object.keys(adversarial.actions(cfg));
    expect(names).toEqual(['SrcSetState', 'SrcRead', 'SrcPrecopyInfo', 'SrcOptIn', 'SrcReset', 'DstSetState', 'DstWrite', 'DstReset']);
    expect(cfg.srcTargets).toEqual(['PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'STOP', 'RUNNING_P2P', 'RUNNING']);
    expect(cfg.dstTargets).toEqual(['RESUMING', 'STOP', 'RUNNING_P2P', 'RUNNING']);
  });
});

describe('the qemu-like user', () => {
  it('runs QEMU\'s sequence on a PRE_COPY device: PRE_COPY, PRE_COPY_P2P, STOP_COPY, drain, STOP (QEMU-1, QEMU-2)', () => {
    const t = reach({ user: 'qemu-like', maxVersion: 1 }, (s) => phase(s) === 'done');
    expect(t).not.toBeNull();
    expect(t!.filter((l) => /SET_STATE/.test(l))).toEqual([
      'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
      'src: SET_STATE(PRE_COPY_P2P) = 0  (vfio_vmstate_change_prepare)',
      'src: SET_STATE(STOP_COPY) = 0  (vfio_vmstate_change)',
      'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
      'dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v0 v0])  (vfio_vmstate_change_prepare, VM start)',
      'dst: SET_STATE(RUNNING) = 0  (vfio_vmstate_change, VM start)',
      'src: SET_STATE(STOP) = 0  (vfio_save_cleanup); close(3)',
    ]);
    expect(t).toContain('src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)');
    expect(t).toContain('dst: close(4)  (vfio_load_cleanup)');
  });

  it('on a device without PRE_COPY stops it first and gets the fd from STOP->STOP_COPY (QEMU-1)', () => {
    const t = reach({ user: 'qemu-like', driver: 'no-precopy', maxVersion: 1 }, (s) => phase(s) === 'done')!;
    const src = t.filter((l) => l.startsWith('src: SET_STATE'));
    expect(src).toEqual([
      'src: SET_STATE(RUNNING_P2P) = 0  (vfio_vmstate_change_prepare)',
      'src: SET_STATE(STOP) = 0  (vfio_vmstate_change)',
      'src: SET_STATE(STOP_COPY) = 0, data_fd=3  (vfio_save_complete_precopy)',
      'src: SET_STATE(STOP) = 0  (vfio_save_cleanup); close(3)',
    ]);
  });

  it('waits in a blocking read for mlx5-like\'s asynchronous save (DATA-10)', () => {
    const t = reach({ user: 'qemu-like', driver: 'mlx5-like', maxVersion: 1 }, (s) => phase(s) === 'done')!;
    const done = t.indexOf('src: driver completes the asynchronous STOP_COPY save');
    expect(done).toBeGreaterThan(t.findIndex((l) => l.startsWith('src: SET_STATE(STOP_COPY)')));
    expect(t.slice(done).some((l) => l.startsWith('src: read(3) = [final') || l.startsWith('src: read(3) = [end]'))).toBe(true);
    expect(t.some((l) => l.includes('EAGAIN'))).toBe(false);
  });

  it('loses the trailer with a driver that answers ENOMSG in STOP_COPY (QEMU-3)', () => {
    const r = run({ user: 'qemu-like', driver: 'broken-enomsg-in-stop-copy', maxVersion: 1 }, ['NoLostMandatoryData']);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.name).toBe('NoLostMandatoryData');
    const l = r.violation.trace.map((t) => t.label);
    expect(l).toContain('src: read(3) = -1 ENOMSG  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)');
    expect(l.at(-1)).toMatch(/^dst: SET_STATE\(RUNNING_P2P\) = 0 \(RESUMING->STOP loaded \[v0 v0\]; the source has \[v1 v0\]\)/);
    const last = r.violation.trace.at(-1)!.state;
    expect(last.dst.units).not.toEqual(last.src.units);
  });

  it('is safe with the same driver when the destination checks that the stream is complete (DATA-5)', () => {
    const r = run({ user: 'qemu-like', driver: 'broken-enomsg-in-stop-copy', detectIncomplete: 'yes', maxVersion: 1 }, ['NoLostMandatoryData']);
    expect(r.status).toBe('ok');
    // …and the migration fails instead: the VM start is refused and the destination reset (QEMU-6).
    const t = reach({ user: 'qemu-like', driver: 'broken-enomsg-in-stop-copy', detectIncomplete: 'yes', maxVersion: 1 }, (s) => phase(s) === 'failed' && s.dst.state === 'RUNNING' && s.src.state === 'STOP_COPY');
    expect(t!.slice(-2)).toEqual([
      'dst: SET_STATE(RUNNING_P2P) = -1 EIO (RESUMING->STOP: the stream is incomplete; device stays in RESUMING)  (vfio_vmstate_change_prepare, VM start)',
      'dst: RESET = 0 (device in RUNNING; the resuming session ended)  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING; the migration fails)',
    ]);
  });

  it('with switchover-ack never switches before the initial data is read, which saves broken-forgets-initial (QEMU-5)', () => {
    expect(run({ user: 'qemu-like', driver: 'broken-forgets-initial', maxVersion: 1 }).status).toBe('violation');
    expect(run({ user: 'qemu-like', driver: 'broken-forgets-initial', switchoverAck: true, reinit: false, maxVersion: 1 }).status).toBe('ok');
    const early = reach({ user: 'qemu-like', switchoverAck: true, reinit: false, maxVersion: 1 },
      (s) => s.src.state === 'STOP_COPY' && s.src.initial.some((v) => v >= 0));
    expect(early).toBeNull();
  });

  it('fails the migration on a REINIT found by the final check at VM stop (REINIT-6)', () => {
    const t = reachStep({ user: 'qemu-like', switchoverAck: true, maxVersion: 1 }, (_b, a, st) => st.action === 'QemuFinalReinitCheck' && a.user.phase === 'failed')!;
    expect(t.at(-1)).toBe('src: PRECOPY_INFO(3) = {initial_bytes: 2, dirty_bytes: 0, flags: REINIT}  (vfio_final_precopy_reinit_check: REINIT after the switchover decision; migration fails, SET_STATE(RUNNING))');
  });

  it('asks for a new switchover-ack when REINIT comes after "initial data sent" (REINIT-6)', () => {
    const t = reachStep({ user: 'qemu-like', switchoverAck: true, maxVersion: 1 }, (b, a, st) => st.action === 'QemuQueryPending' && b.user.initSent === true && a.user.initSent === false);
    expect(t).not.toBeNull();
    expect(t!.at(-1)).toMatch(/flags: REINIT.*REINIT: requests a new switchover-ack/);
    expect(t!.some((l) => l.includes('sends INIT_DATA_SENT'))).toBe(true);
  });
});
