// Broken driver: stops tracking changes once the device is P2P-quiesced, so a unit the
// device changes in PRE_COPY_P2P is sent neither as dirty data nor in the trailer
// (PRE_COPY_P2P keeps all pre-copy behaviour, FSM-10). NoLostMandatoryData fails under both
// users: the device still runs in PRE_COPY_P2P (FSM-8), and QEMU passes through it at every
// switchover (QEMU-1).

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationBrokenMissesP2pDirty',
  doc: 'Broken driver: a change made in PRE_COPY_P2P is never sent.',
  driver: 'broken-misses-p2p-dirty',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' },
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY_P2P) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4',
        'dst: write(4, [initial unit 0 v0]) = ok',
        'src: read(3) = [initial unit 1 v0]',
        'dst: write(4, [initial unit 1 v0]) = ok',
        'src: device dirties unit 0 (now v1)',
        'src: SET_STATE(STOP_COPY) = 0',
        'src: read(3) = [end]',
        'dst: write(4, [end]) = ok',
        'src: read(3) = 0',
        'dst: SET_STATE(STOP) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v1 v0])',
      ],
    },
    {
      constants: { USER: 'qemu-like' }, status: 'violation', violation: { kind: 'action-property', name: 'NoLostMandatoryData' },
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
        'src: read(3) = [end]  (vfio_save_complete_precopy)',
        'dst: write(4, [end]) = ok  (vfio_load_state)',
        'src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)',
        'dst: close(4)  (vfio_load_cleanup)',
        'dst: SET_STATE(RUNNING_P2P) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v1 v0])  (vfio_vmstate_change_prepare, VM start)',
      ],
    },
  ],
});
