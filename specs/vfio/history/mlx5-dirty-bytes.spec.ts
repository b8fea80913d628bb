// mlx5 "Fix the report of dirty_bytes upon pre-copy" (4928f67bc911, v6.3-rc4; Fixes:
// 0dce165b1adf, v6.2): before it, once the initial data had been read, dirty_bytes left out
// the data the driver had already saved into the migration file and the user had not read
// (mlx5vf_precopy_ioctl(), drivers/vfio/pci/mlx5/main.c). Profiles model/drivers/history.ts.

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';
import { mlx5DirtyBytesV6_2, mlx5DirtyBytesV6_3 } from '../../../model/drivers/history.js';

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'vfio/mlx5: Fix the report of dirty_bytes upon pre-copy', commit: '4928f67bc911', release: 'v6.3', property: 'DirtyBytesCountUnread' };

export default historySpec({
  name: 'HistoryMlx5DirtyBytes',
  doc: 'mlx5 v6.2: dirty_bytes does not count the saved, unread pre-copy data.',
  bug,
  common: { units: 1, reinit: false },
  broken: { driver: mlx5DirtyBytesV6_2 },
  fixed: { driver: mlx5DirtyBytesV6_3 },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'DirtyBytesCountUnread' },
      note: 'trace of 7 states: the answer after the asynchronous SAVE completed leaves out the saved data',
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'src: device dirties unit 0 (now v1)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 1}',
        'src: driver completes the asynchronous pre-copy save',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 1314, depth: 17 },
    {
      constants: { USER: 'qemu-like' }, status: 'violation', violation: { kind: 'action-property', name: 'DirtyBytesCountUnread' },
      note: 'trace of 9 states',
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 1}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 1, dirty_bytes: 0}  (vfio_save_setup)',
        'src: read(3) = [initial unit 0 v0]  (vfio_save_iterate)',
        'src: device dirties unit 0 (now v1)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 1}  (vfio_state_pending exact)',
        'src: driver completes the asynchronous pre-copy save',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}  (vfio_state_pending exact)',
      ],
    },
    { constants: { TWIN: 'fixed', USER: 'qemu-like' }, status: 'ok', distinct: 247, depth: 22 },
  ],
});
