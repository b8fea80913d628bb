// pds "Always clear the save/restore FDs on reset" (8512ed256334, v6.9): before it, the
// deferred reset in pds_vfio_state_mutex_unlock() (drivers/vfio/pci/pds/vfio_dev.c, v6.6 to
// v6.8) put the save and restore files only when the device was in ERROR, so after a reset
// from STOP_COPY the old data_fd still handed out the device state (ERR-6, SAVE-4).
// Profiles model/drivers/history.ts (pds has no PRE_COPY: spread from no-precopy).

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';
import { pdsResetV6_8, pdsResetV6_9 } from '../../../model/drivers/history.js';

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'vfio/pds: Always clear the save/restore FDs on reset', commit: '8512ed256334', release: 'v6.9', property: 'ResetEndsSession' };

export default historySpec({
  name: 'HistoryPdsReset',
  doc: 'pds v6.6..v6.8: a reset outside ERROR leaves the save file live.',
  bug,
  common: { units: 1 },
  broken: { driver: pdsResetV6_8 },
  fixed: { driver: pdsResetV6_9 },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'ResetEndsSession' },
      note: 'trace of 3 states',
      trace: [
        'Init',
        'src: SET_STATE(STOP_COPY) = 0, data_fd=3',
        'src: RESET = 0 (device in RUNNING; the saving session stays live)',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 251, depth: 13 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 67, depth: 18 },
    { constants: { TWIN: 'fixed', USER: 'qemu-like' }, status: 'ok', distinct: 67, depth: 18 },
  ],
});
