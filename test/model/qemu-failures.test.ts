// The qemu-like user when a call fails (QEMU-6, hw/vfio/migration.c): a failed SET is
// followed by QEMU's recovery in vfio_migration_set_state() (the recover state, or a reset
// when that is ERROR or fails too), and the migration fails, with the notifier's SET RUNNING
// on the source; a read that fails with anything but ENOMSG fails the migration too.

import { describe, expect, it } from 'vitest';
import { reachStep } from './reach.js';
import { migrationModel, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';
import { noPrecopy } from '../../model/drivers/no-precopy.js';
import type { DriverProfile } from '../../model/drivers/profile.js';
import type { MigState } from '../../model/states.js';


/** A no-PRE_COPY driver (STOP_COPY and P2P) whose arc from->to always fails with EIO, leaving the device in `leaves` (default: where the walk got to). */
function failing(from: MigState, to: MigState, leaves?: MigState): DriverProfile {
  return {
    ...noPrecopy,
    name: `fails-${from}-${to}`,
    failArc: (_d, f, t) => (f === from && t === to ? { endsSession: false } : null),
    ...(leaves ? { failState: () => leaves } : {}),
  };
}

/** The shortest run in which a failure QEMU saw (not its own decision to fail) ends the migration: the notifier's step. */
const failedRun = (driver: DriverProfile) =>
  reachStep({ user: 'qemu-like', driver, units: 1 }, (_b, a, st) => st.action === 'QemuNotifyFailure' && a.user.phase === 'failed');

describe('the qemu-like user after a failed SET (QEMU-6)', () => {
  it('resets the source when the VM-stop SET fails (vfio_migration_set_state_or_reset), then fails the migration and SETs RUNNING', () => {
    const t = failedRun(failing('RUNNING_P2P', 'STOP'))!;
    expect(t.slice(-3)).toEqual([
      'src: SET_STATE(STOP) = -1 EIO (RUNNING_P2P->STOP: the arc failed; device stays in RUNNING_P2P)  (vfio_vmstate_change: recover state ERROR, QEMU resets the device; the migration fails)',
      'src: RESET = 0 (device in RUNNING)  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING)',
      'src: SET_STATE(RUNNING) = 0  (vfio_migration_state_notifier: the migration failed)',
    ]);
  });

  it('SETs the recover state STOP when vfio_save_complete_precopy\'s SET STOP_COPY fails, then fails the migration', () => {
    const t = failedRun(failing('STOP', 'STOP_COPY'))!;
    expect(t.slice(-3)).toEqual([
      'src: SET_STATE(STOP_COPY) = -1 EIO (STOP->STOP_COPY: the arc failed; device stays in STOP)  (vfio_save_complete_precopy: QEMU SETs the recover state STOP; the migration fails)',
      'src: SET_STATE(STOP) = 0  (vfio_migration_set_state: the recover state after the failed SET)',
      'src: SET_STATE(RUNNING) = 0  (vfio_migration_state_notifier: the migration failed)',
    ]);
  });

  it('resets the device when the recover state fails too', () => {
    // The failed arc leaves the device in ERROR (ERR-2), from where SET STOP fails as well (ERR-5).
    const t = failedRun(failing('STOP', 'STOP_COPY', 'ERROR'))!;
    expect(t.slice(-4)).toEqual([
      'src: SET_STATE(STOP_COPY) = -1 EIO (STOP->STOP_COPY: the arc failed; device stays in ERROR)  (vfio_save_complete_precopy: QEMU SETs the recover state STOP; the migration fails)',
      'src: SET_STATE(STOP) = -1 EINVAL  (vfio_migration_set_state: the recover state after the failed SET: QEMU resets the device)',
      'src: RESET = 0 (device in RUNNING)  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING)',
      'src: SET_STATE(RUNNING) = 0  (vfio_migration_state_notifier: the migration failed)',
    ]);
  });

  it('never sends END_OF_STATE or starts the destination after a failed SET', () => {
    for (const d of [failing('RUNNING_P2P', 'STOP'), failing('STOP', 'STOP_COPY'), failing('RUNNING', 'RUNNING_P2P')]) {
      const started = reachStep({ user: 'qemu-like', driver: d, units: 1 }, (_b, a) => a.user.phase === 'sent');
      expect(started, d.name).toBeNull();
    }
  });

  it('fails the migration when the final drain\'s read fails with an errno other than ENOMSG (vfio_save_block)', () => {
    // An ended session whose fd answers EINVAL, as pds's does once something was read from it.
    const driver: DriverProfile = { ...noPrecopy, name: 'stale-einval', staleRead: () => 'EINVAL' };
    const m = migrationModel({ user: 'qemu-like', driver, units: 1 });
    const s = structuredClone(m.init) as MigrationState;
    Object.assign(s.user, { phase: 'drain' });
    s.src.state = 'STOP_COPY';
    s.src.held = true;
    s.src.live = false;
    const drain = m.actions.QemuDrainRead;
    expect(drain.enabled!(s, undefined)).toBe(true);
    expect(drain.label!(undefined, s, s)).toBe('src: read(3) = -1 EINVAL  (vfio_save_complete_precopy: the read failed, the migration fails)');
    drain.next(s, undefined);
    expect([s.user.phase, s.link.drained]).toEqual(['aborting', false]);
    // The same fd answering 0 ends the drain: END_OF_STATE.
    const eof = migrationModel({ user: 'qemu-like', driver: { ...driver, name: 'stale-eof', staleRead: () => 'EOF' }, units: 1 });
    const e = structuredClone(s);
    Object.assign(e.user, { phase: 'drain' });
    eof.actions.QemuDrainRead.next(e, undefined);
    expect([e.user.phase, e.link.drained]).toEqual(['sent', true]);
  });
});
