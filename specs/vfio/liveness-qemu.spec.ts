// The migration ends: between a conforming driver and the qemu-like user, under weak fairness
// of every step (each of QEMU's threads, the device's own steps and the driver's completions
// get to run when they stay enabled), every migration reaches QEMU's `done` or `failed`. This
// is the liveness side of QEMU-1..7: QEMU never waits for ever on a read (EAGAIN with a
// pending save, DATA-10), on precopy_info answers that never reach zero (PRECOPY-12: QEMU
// does not wait for them), or on a destination that never accepts the stream.
//
// QEMU's own decision to fail the migration (QemuMigrationFails) gets no fairness: failing is
// a choice of QEMU's environment, not a step the system promises to take, and a fair failure
// would end every migration trivially. Only the migration properties of this spec are
// checked here (the safety properties are the migration specs' business).
//
// The destination's approval of the switchover (QemuApproveSwitchover, switchover-ack) is
// strongly fair: the model lets it happen only between two records (the marker follows the
// data before it in the stream), so a source that keeps producing data (virtio's precopy_info
// re-adding its context) enables it only now and then; in QEMU the marker is read in stream
// order and is processed after the records before it, which strong fairness expresses.
// APPROVAL=weak shows the difference: virtio with switchover-ack then loops for ever in
// pre-copy (read dirty, precopy_info re-adds the context, read again).
//
// A driver whose asynchronous STOP_COPY save never completes (spread from mlx5-like, as in
// liveness-async-save.spec.ts) breaks it: QEMU's final drain reads EAGAIN for ever; the
// counterexample is the lasso in which it keeps reading.

import { defineSpec, model } from '../../checker/index.js';
import { migrationModel, brokenSaveHangs as saveHangs, defaultDrivers, type MigrationState } from '../../model/index.js';


const ended = (s: MigrationState) => s.user.phase === 'done' || s.user.phase === 'failed';

export default defineSpec({
  name: 'VfioMigrationEnds',
  doc: 'Liveness: with a conforming driver, a qemu-like migration under weak fairness always ends (done or failed).',
  constants: {
    DRIVER: {
      default: 'reference',
      values: [...defaultDrivers(), saveHangs.name],
      doc: 'driver profile of both devices',
    },
    UNITS: { default: 1, min: 1, max: 2, doc: 'units of device state' },
    SWITCHOVER_ACK: { default: false, doc: 'QEMU\'s switchover-ack capability (QEMU-5)' },
    APPROVAL: { default: 'strong', values: ['strong', 'weak'], doc: 'fairness of the destination\'s switchover approval (weak: a busy stream may starve it)' },
  },
  setup: ({ DRIVER, UNITS, SWITCHOVER_ACK, APPROVAL }) => {
    const m = migrationModel({ driver: DRIVER === saveHangs.name ? saveHangs : DRIVER, user: 'qemu-like', units: UNITS, maxVersion: 1, switchoverAck: SWITCHOVER_ACK });
    return model({
      ...m,
      properties: {},
      invariants: {},
      temporal: {
        MigrationEnds: {
          leadsTo: [() => true, ended],
          clause: 'QEMU-6', level: 'IMPL',
          doc: 'every migration between the driver and the qemu-like user ends, in done or failed, under weak fairness of every step',
        },
      },
      fairness: {
        weak: Object.keys(m.actions).filter((a) => a !== 'QemuMigrationFails' && (APPROVAL === 'weak' || a !== 'QemuApproveSwitchover')),
        strong: APPROVAL === 'strong' && 'QemuApproveSwitchover' in m.actions ? ['QemuApproveSwitchover'] : [],
      },
    } as never);
  },
  expect: [
    { status: 'ok', distinct: 721, depth: 20, note: 'reference, one unit' },
    { constants: { DRIVER: 'mlx5-like', UNITS: 2 }, status: 'ok', distinct: 4994, depth: 29 },
    { constants: { DRIVER: 'virtio', UNITS: 2, SWITCHOVER_ACK: true }, status: 'ok', distinct: 2505, depth: 33 },
    {
      constants: { DRIVER: 'broken-save-hangs' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'MigrationEnds' },
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 1}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 1, dirty_bytes: 0}  (vfio_save_setup)',
        'src: read(3) = [initial unit 0 v0]  (vfio_save_iterate)',
        'qemu: switchover: stop the VM',
        'src: SET_STATE(PRE_COPY_P2P) = 0  (vfio_vmstate_change_prepare)',
        'src: SET_STATE(STOP_COPY) = 0  (vfio_vmstate_change)',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
        'dst: write(4, [initial unit 0 v0]) = ok  (vfio_load_state)',
      ],
      note: 'the STOP_COPY save never completes: QEMU\'s final drain blocks in read() for ever',
    },
    {
      constants: { DRIVER: 'virtio', UNITS: 2, SWITCHOVER_ACK: true, APPROVAL: 'weak' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'MigrationEnds' },
      note: 'with a weakly fair approval, virtio\'s endless dirty stream starves the switchover-ack: the fairness the model needs is strong',
    },
  ],
});
