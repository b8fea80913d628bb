// Linux v6.2: PRE_COPY and PRE_COPY_P2P (commit 4db52602a607 "vfio: Extend the device
// migration protocol with PRE_COPY"), drivers/vfio/vfio_main.c, vfio_mig_get_next_state(),
// and the VFIO_MIG_GET_PRECOPY_INFO ioctl in include/uapi/linux/vfio.h.
//
// The table gains rows and columns for the two PRE_COPY states, and STOP_COPY->PRE_COPY and
// STOP_COPY->PRE_COPY_P2P map straight to ERROR (FSM-11, KERN-5). The skip loop was not
// changed: it stops only at a supported state, ERROR is never supported (KERN-3) and
// table[ERROR][*] = ERROR, so on a device with PRE_COPY those two requests spin for ever
// holding the driver's state mutex (KERN-1). Every release from v6.2 until the 2026 fix has
// this loop (stable trees got the fix as a backport). The precopy_info `flags` echo what the
// caller passed in (PRECOPY-14); there is no MIG_PRECOPY_INFOv2 opt-in, so no REINIT.

import { KERNEL_TABLE } from './fsm.js';
import { skipLoopWithoutErrorTest } from './steps.js';
import type { KernelProfile } from './profile.js';

export const v6_2: KernelProfile = {
  name: 'v6.2',
  doc: 'adds PRE_COPY; the skip loop has no ERROR test, so STOP_COPY->PRE_COPY(_P2P) never returns on a PRE_COPY device (KERN-1); precopy_info flags echo the input (PRECOPY-14)',
  source: 'drivers/vfio/vfio_main.c, vfio_mig_get_next_state(), v6.2 (commit 4db52602a607) until v7.1',
  table: { ...KERNEL_TABLE, source: 'v6.2' },
  step: skipLoopWithoutErrorTest,
  flags: ['P2P', 'PRE_COPY'],
  precopyInfoV2: false,
  precopyInfoFlags: 'echo-input',
};
