// mlx5 "consider inflight SAVE during PRE_COPY" (bd0da611312b, the 2026 MIG_PRECOPY_INFOv2
// series, v7.1): precopy_info issues an asynchronous SAVE when everything buffered was read;
// before the fix a read() while that SAVE was in flight returned ENOMSG, the temporary end
// of the pre-copy stream, although data was on its way (mlx5vf_save_read(),
// drivers/vfio/pci/mlx5/main.c). Profiles model/drivers/history.ts.

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';
import { mlx5InflightSaveBroken, mlx5InflightSaveFixed } from '../../../model/drivers/history.js';

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'vfio/mlx5: consider inflight SAVE during PRE_COPY', commit: 'bd0da611312b', release: 'v7.1', property: 'NoEnomsgWhileSaving' };

export default historySpec({
  name: 'HistoryMlx5InflightSave',
  doc: 'mlx5 v6.2..v7.0: read() answers ENOMSG while a pre-copy SAVE is in flight.',
  bug,
  common: { units: 1, reinit: false },
  broken: { driver: mlx5InflightSaveBroken },
  fixed: { driver: mlx5InflightSaveFixed },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'NoEnomsgWhileSaving' },
      note: 'trace of 8 states',
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4',
        'dst: write(4, [initial unit 0 v0]) = ok',
        'src: device dirties unit 0 (now v1)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 1}',
        'src: read(3) = -1 ENOMSG',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 1314, depth: 17 },
    {
      constants: { USER: 'qemu-like' }, status: 'violation', violation: { kind: 'action-property', name: 'NoEnomsgWhileSaving' },
      note: 'trace of 10 states',
      trace: [
        'Init',
        'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 1}; SET_STATE(PRE_COPY) = 0, data_fd=3  (vfio_save_setup)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 1, dirty_bytes: 0}  (vfio_save_setup)',
        'src: read(3) = [initial unit 0 v0]  (vfio_save_iterate)',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4  (vfio_load_setup)',
        'dst: write(4, [initial unit 0 v0]) = ok  (vfio_load_state)',
        'src: device dirties unit 0 (now v1)',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 1}  (vfio_state_pending exact)',
        'src: read(3) = -1 ENOMSG  (vfio_save_iterate = no data for now)',
      ],
    },
    { constants: { TWIN: 'fixed', USER: 'qemu-like' }, status: 'ok', distinct: 247, depth: 22 },
  ],
});
