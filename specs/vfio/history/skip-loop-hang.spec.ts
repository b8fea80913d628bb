// The kernel's skip-loop hang (KERN-1): from v6.2, which added PRE_COPY (4db52602a607), the
// skip loop of vfio_mig_get_next_state() (drivers/vfio/vfio_main.c) stops only at a supported
// state, and the STOP_COPY->PRE_COPY(_P2P) rows lead to ERROR, which no device supports: a
// SET_STATE(PRE_COPY) from STOP_COPY never returns, holding the driver's state mutex.
// Fixed in v7.1 by a26b499b757c, which also stops the loop at ERROR, so the SET fails
// with EINVAL (FSM-11). Kernel profiles v6.2 and v7.1 (model/kernel/), reference driver.

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'vfio: prevent infinite loop in vfio_mig_get_next_state() on blocked arc', commit: 'a26b499b757c', release: 'v7.1', property: 'EverySetReturns' };

export default historySpec({
  name: 'HistorySkipLoopHang',
  doc: 'v6.2..v7.0 kernels spin for ever on STOP_COPY->PRE_COPY(_P2P) for a device with PRE_COPY.',
  bug,
  common: { driver: 'reference', units: 1, reinit: false },
  broken: { kernel: 'v6.2' },
  fixed: { kernel: 'v7.1' },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'EverySetReturns' },
      note: 'trace of 3 states',
      trace: [
        'Init',
        'src: SET_STATE(STOP_COPY) = 0, data_fd=3',
        'src: SET_STATE(PRE_COPY) never returns: the walk does not terminate: at STOP_COPY the next-step loop looks up ERROR->ERROR->… for ever',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 1014, depth: 16 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 226, depth: 20 },
    { constants: { TWIN: 'fixed', USER: 'qemu-like' }, status: 'ok', distinct: 226, depth: 20 },
  ],
});
