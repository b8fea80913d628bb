// hisi_acc "update status after RAS error" (8be14dd48dfe, v7.0): the reset_done handler
// hisi_acc_vf_pci_aer_reset_done() (drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c) returned
// unless migration_flags was exactly VFIO_MIGRATION_STOP_COPY; with PRE_COPY claimed as well
// it always returned, so a reset left the cached device_state and the save file as they were
// (ERR-4, ERR-6). hisi_acc has no P2P: FEATURES=PRE_COPY. Profiles model/drivers/history.ts.

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';
import { hisiResetBroken, hisiResetFixed } from '../../../model/drivers/history.js';

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'hisi_acc_vfio_pci: update status after RAS error', commit: '8be14dd48dfe', release: 'v7.0', property: 'ResetReturnsToRunning' };

export default historySpec({
  name: 'HistoryHisiAccReset',
  doc: 'hisi_acc with PRE_COPY, before v7.0: reset skips the migration reset.',
  bug,
  common: { units: 1, features: 'PRE_COPY' },
  broken: { driver: hisiResetBroken },
  fixed: { driver: hisiResetFixed },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'ResetReturnsToRunning' },
      note: 'trace of 3 states',
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: RESET = 0 (device in PRE_COPY; the saving session stays live)',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 660, depth: 16 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 154, depth: 18 },
    { constants: { TWIN: 'fixed', USER: 'qemu-like' }, status: 'ok', distinct: 154, depth: 18 },
  ],
});
