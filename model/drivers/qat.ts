// qat: the Intel QAT VF driver (drivers/vfio/pci/qat/main.c, merged in v6.10), the
// static-header family (static-header-like.ts) with what this driver does differently.
//
// - Flags: STOP_COPY, P2P and PRE_COPY (qat_vf_pci_init_dev()).
// - The P2P states suspend the whole device: qat_vf_pci_step_device_state() calls
//   qat_vfmig_suspend() on RUNNING->RUNNING_P2P and PRE_COPY->PRE_COPY_P2P (and resumes it
//   on the way back), so the device does not run in RUNNING_P2P or PRE_COPY_P2P (`runsIn`).
//   The uAPI defines the P2P states as running states (FSM-1, FSM-8); the review of the
//   driver said so, and the driver kept it. For the stream this only takes behaviours away
//   (no change in a P2P state); a guest that expects its device to work in P2P is outside
//   the model.
// - PRE_COPY carries only the "setup" part (device attributes, checked on the destination
//   by qat_vfmig_load_setup() from qat_vf_resume_write()); qat_vf_precopy_ioctl() checks the
//   device state first (EINVAL unless PRE_COPY or PRE_COPY_P2P), then answers initial = the
//   unread setup part, dirty = 0; qat_vf_save_read() answers 0 once the filled part is read.
// - The VF state proper is saved on PRE_COPY_P2P->STOP_COPY or STOP->STOP_COPY, appended to
//   the same stream; RESUMING->STOP loads what arrived (qat_vfmig_load_state()) without a
//   length or end check of its own.

import type { DriverProfile } from './profile.js';
import { staleInfoStateFirst } from './profile.js';
import { staticHeaderLike } from './static-header-like.js';
import type { MigState } from '../states.js';

/** The states a qat VF runs in: P2P suspends it. */
const qatRuns = (s: MigState): boolean => s === 'RUNNING' || s === 'PRE_COPY';

export const qat: DriverProfile = {
  ...staticHeaderLike,
  name: 'qat',
  doc: 'Intel QAT (drivers/vfio/pci/qat/main.c, v6.10): static setup header in PRE_COPY, the P2P states suspend the whole device, precopy_info checks the state first (DRV-2)',
  runsIn: qatRuns,
  stalePrecopyInfo: staleInfoStateFirst,
};
