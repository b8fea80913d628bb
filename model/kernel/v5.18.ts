// Linux v5.18: migration protocol v2 (commit 115dcec65f61 "vfio: Define device migration
// protocol v2", then "Extend the device migration protocol with RUNNING_P2P"), in
// drivers/vfio/vfio.c, vfio_mig_get_next_state(). Five states (ERROR, STOP, RUNNING,
// STOP_COPY, RESUMING, RUNNING_P2P), no PRE_COPY flag, no precopy_info ioctl.
//
// The skip loop has no ERROR test, as in v6.2, but no supported request of a five-state
// device reaches a step of ERROR (only the PRE_COPY rows added in v6.2 have them, KERN-5),
// so it always ends. Modelled as the v6.2 table restricted to the flags v5.18 knows: a
// device cannot claim PRE_COPY, and a PRE_COPY state or target is refused with EINVAL as
// v5.18 refuses a state number beyond its table (KERN-2).

import { KERNEL_TABLE } from './fsm.js';
import { skipLoopWithoutErrorTest } from './steps.js';
import type { KernelProfile } from './profile.js';

export const v5_18: KernelProfile = {
  name: 'v5.18',
  doc: 'migration protocol v2 with RUNNING_P2P; no PRE_COPY (FEAT-4), so the skip loop without its ERROR test always ends (KERN-1)',
  source: 'drivers/vfio/vfio.c, vfio_mig_get_next_state(), v5.18 (commit 115dcec65f61)',
  table: { ...KERNEL_TABLE, source: 'v5.18' },
  step: skipLoopWithoutErrorTest,
  flags: ['P2P'],
  precopyInfoV2: false,
  precopyInfoFlags: 'echo-input',
};
