// Linux v7.1 (2026): the skip loop of vfio_mig_get_next_state() (drivers/vfio/vfio_main.c)
// also stops at ERROR (mainline commit a26b499b757c "vfio: prevent infinite loop in
// vfio_mig_get_next_state() on blocked arc", Fixes: 4db52602a607, Cc: stable), so
// STOP_COPY->PRE_COPY(_P2P) fails with EINVAL as FSM-11 says. The same release carries the
// VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 series (commit 50ff3f404617, include/uapi/linux/vfio.h, feature 12;
// vfio_check_precopy_ioctl()): after the opt-in the core zeroes the output `flags` and a
// driver may report VFIO_PRECOPY_INFO_REINIT (REINIT-1..4). The newest profile: the default.
//
// The step function is model/kernel/fsm.ts's nextStep, which is this loop (it also reports a table
// whose unsupported states lead to each other as a loop that does not end).

import { KERNEL_TABLE, nextStep } from './fsm.js';
import type { KernelProfile } from './profile.js';

export const v7_1: KernelProfile = {
  name: 'v7.1',
  doc: 'the skip loop stops at ERROR, so STOP_COPY->PRE_COPY(_P2P) is refused with EINVAL (KERN-1, FSM-11); MIG_PRECOPY_INFOv2 opt-in and REINIT (REINIT-3, REINIT-4)',
  source: 'drivers/vfio/vfio_main.c, vfio_mig_get_next_state(), v7.1 (commit a26b499b757c); include/uapi/linux/vfio.h and vfio_main.c, MIG_PRECOPY_INFOv2 (commit 50ff3f404617, applied March 2026)',
  table: KERNEL_TABLE,
  step: nextStep,
  flags: ['P2P', 'PRE_COPY'],
  precopyInfoV2: true,
  precopyInfoFlags: 'driver-only',
};
