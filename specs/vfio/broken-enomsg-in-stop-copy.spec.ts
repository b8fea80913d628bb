// Broken driver: mlx5-like, but while its asynchronous STOP_COPY save is in flight read()
// answers ENOMSG instead of EAGAIN, and its destination accepts any prefix of a stream
// (model/drivers/broken.ts).
//
// - adversarial user: NoEnomsgInStopCopy (DATA-8) fails at once. The data itself is not lost
//   for this user: it takes only 0 for the end and reads again.
// - qemu-like user: QEMU's final drain stops at ENOMSG as at 0 (QEMU-3), sends END_OF_STATE
//   and starts the destination on a stream that lacks the trailer: NoLostMandatoryData fails.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationBrokenEnomsgInStopCopy',
  doc: 'Broken driver: ENOMSG in STOP_COPY; QEMU, which treats ENOMSG like 0, loses the trailer.',
  driver: 'broken-enomsg-in-stop-copy',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'NoEnomsgInStopCopy' },
      trace: [
        'Init',
        'src: SET_STATE(STOP_COPY) = 0, data_fd=3',
        'src: read(3) = -1 ENOMSG',
      ],
    },
    { options: { invariants: ['NoLostMandatoryData'] }, status: 'ok', distinct: 21232, depth: 24, note: 'the adversarial user reads on after ENOMSG' },
    {
      constants: { USER: 'qemu-like' }, options: { invariants: ['NoLostMandatoryData'] }, status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' }, note: 'QEMU-3: the final drain stops at ENOMSG',
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 2, dirty_bytes: 0}  (vfio_save_setup)',
        'src: read(3) = [initial unit 0 v0]  (vfio_save_iterate)',
        'qemu: switchover: stop the VM',
        'src: SET_STATE(PRE_COPY_P2P) = 0  (vfio_vmstate_change_prepare)',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
        'dst: write(4, [initial unit 0 v0]) = ok  (vfio_load_state)',
        'src: device dirties unit 0 (now v1)',
        'src: SET_STATE(STOP_COPY) = 0  (vfio_vmstate_change)',
        'src: read(3) = [initial unit 1 v0]  (vfio_save_complete_precopy)',
        'dst: write(4, [initial unit 1 v0]) = ok  (vfio_load_state)',
        'src: read(3) = -1 ENOMSG  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)',
        'dst: close(4)  (vfio_load_cleanup)',
        'dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v1 v0])  (vfio_vmstate_change_prepare, VM start)',
      ],
    },
  ],
});
