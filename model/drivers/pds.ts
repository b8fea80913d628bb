// pds: the AMD/Pensando DSC VF driver, as drivers/vfio/pci/pds/lm.c has it in the stored
// version read for this profile (torvalds/linux commit 2d12d18f14d9; the driver came in
// v6.5). Functions named below.
//
// - Flags: STOP_COPY and P2P, no PRE_COPY: there are no PRE_COPY arcs in
//   pds_vfio_step_device_state_locked(), and the save file has no ioctl at all
//   (pds_vfio_save_fops: read and release), so VFIO_MIG_GET_PRECOPY_INFO is ENOTTY.
// - STOP->STOP_COPY (pds_vfio_get_save_file, pds_vfio_get_lm_state_cmd): the firmware's
//   whole device state is copied into the file synchronously before the fd is returned.
// - read() (pds_vfio_save_read): bytes up to the file's size, then 0 for ever; EINVAL only
//   for a position past the size, which a stream fd never reaches.
// - MIG_DATA_SIZE: the firmware's state size, in any state (a constant here).
// - Destination: pds_vfio_restore_write copies into a buffer of sizeof(union
//   pds_lm_dev_state) and counts what was written; RESUMING->STOP
//   (pds_vfio_set_lm_state_cmd) hands that many bytes to the firmware. The driver itself
//   checks neither the end nor the length of the stream: whether the firmware rejects a
//   short image is not in the source, so the profile credits the driver with no check.
//
// Needs hooks that do not exist yet: the answers on the save fd after STOP_COPY->STOP
// (pds_vfio_put_save_file drops the driver's reference; the user's fd then reads what the
// file still holds or 0, where the model answers ENODEV for an ended session), the
// asynchronous move to ERROR when the firmware recovers (pds_vfio_recovery), the reset
// handling that clears the save/restore files (pds_vfio_reset), and a write past the
// buffer's end answering EINVAL (a length check at write time, not at RESUMING->STOP).

import type { DriverProfile } from './profile.js';
import { noPrecopy } from './no-precopy.js';

export const pds: DriverProfile = {
  // The no-PRE_COPY family's behaviour (no-precopy.ts), with what this driver's source shows on top.
  ...noPrecopy,
  name: 'pds',
  doc: 'AMD/Pensando pds (drivers/vfio/pci/pds/lm.c): no PRE_COPY (precopy_info ENOTTY), whole state saved synchronously at STOP->STOP_COPY, read until 0, destination checks nothing (DRV-5, DATA-5)',
  detectsIncomplete: false,
};
