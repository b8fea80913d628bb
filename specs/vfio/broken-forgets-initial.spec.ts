// Broken driver: drops the initial data the user has not read when the user switches to
// STOP_COPY early (model/drivers/broken.ts). It reads "the initial data is only for
// PRE_COPY" into the text; the merged text only recommends reading it first (PRECOPY-6) and
// the data must still arrive (DATA-9, wording-history point 1).
//
// - adversarial user: NoLostMandatoryData fails; the shortest trace switches straight to
//   STOP_COPY and loads a stream with nothing but its end.
// - qemu-like user: the same, since QEMU may switch over at any time (QEMU-5).
// - qemu-like with switchover-ack: QEMU waits until its cached initial count reached 0, so
//   the early switch no longer happens; without REINIT the migration is safe. With REINIT,
//   the device can re-initialise in PRE_COPY_P2P, after QEMU's final REINIT check, and the
//   new initial data is dropped again.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationBrokenForgetsInitial',
  doc: 'Broken driver: unread initial data is dropped at an early switch to STOP_COPY.',
  driver: 'broken-forgets-initial',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' },
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: SET_STATE(STOP_COPY) = 0',
        'src: read(3) = [end]',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4',
        'dst: write(4, [end]) = ok',
        'src: read(3) = 0',
        'dst: SET_STATE(STOP) = 0 (RESUMING->STOP loaded [- -]; the source has [v0 v0])',
      ],
    },
    {
      constants: { USER: 'qemu-like' }, status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' },
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 2, dirty_bytes: 0}  (vfio_save_setup)',
        'qemu: switchover: stop the VM',
        'src: SET_STATE(PRE_COPY_P2P) = 0  (vfio_vmstate_change_prepare)',
        'src: SET_STATE(STOP_COPY) = 0  (vfio_vmstate_change)',
        'src: read(3) = [end]  (vfio_save_complete_precopy)',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
        'dst: write(4, [end]) = ok  (vfio_load_state)',
        'src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)',
        'dst: close(4)  (vfio_load_cleanup)',
        'dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [- -]; the source has [v0 v0])  (vfio_vmstate_change_prepare, VM start)',
      ],
    },
    { constants: { USER: 'qemu-like', SWITCHOVER_ACK: true, REINIT: false }, status: 'ok', distinct: 516, depth: 27, note: 'switchover-ack keeps QEMU from switching early' },
    {
      constants: { USER: 'qemu-like', SWITCHOVER_ACK: true }, status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' }, note: 'REINIT in PRE_COPY_P2P, after the final check',
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 2, dirty_bytes: 0}  (vfio_save_setup)',
        'src: read(3) = [initial unit 0 v0]  (vfio_save_iterate)',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
        'dst: write(4, [initial unit 0 v0]) = ok  (vfio_load_state)',
        'src: read(3) = [initial unit 1 v0]  (vfio_save_iterate; sends INIT_DATA_SENT)',
        'dst: write(4, [initial unit 1 v0]) = ok  (vfio_load_state)',
        'dst: INIT_DATA_SENT received: switchover approved  (qemu_loadvm_approve_switchover)',
        'qemu: switchover: stop the VM (every switchover-ack received)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}  (vfio_final_precopy_reinit_check)',
        'src: SET_STATE(PRE_COPY_P2P) = 0  (vfio_vmstate_change_prepare)',
        'src: device dirties unit 0 (now v1)',
        'src: device re-initialises its migration data (precopy_info would answer {initial_bytes: 0, dirty_bytes: 1} before, {initial_bytes: 2, dirty_bytes: 0, flags: REINIT} now)',
        'src: SET_STATE(STOP_COPY) = 0  (vfio_vmstate_change)',
        'src: read(3) = [end]  (vfio_save_complete_precopy)',
        'dst: write(4, [end]) = ok  (vfio_load_state)',
        'src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)',
        'dst: close(4)  (vfio_load_cleanup)',
        'dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v1 v0])  (vfio_vmstate_change_prepare, VM start)',
      ],
    },
  ],
});
