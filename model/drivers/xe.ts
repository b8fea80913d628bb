// xe: the Intel Xe graphics VF driver, as drivers/vfio/pci/xe/main.c has it in the stored
// version read for this profile (torvalds/linux commit 0eaed89c18ae; the driver is new in
// the 2025-2026 releases). The data itself is produced and consumed by the PF driver
// (xe_sriov_vfio_* in drivers/gpu/drm/xe), which is not read here. Functions named below.
//
// - Flags: STOP_COPY and P2P (xe_vfio_pci_migration_init), no PRE_COPY: no precopy ioctl on
//   the save file (xe_vfio_pci_save_fops: read and release), so precopy_info is ENOTTY.
// - STOP->STOP_COPY (xe_vfio_set_state): the save file is created and the PF enters
//   stop-copy; read() (xe_vfio_pci_save_read) passes on what the PF returns; modelled as the
//   whole state buffered at the arc, then 0.
// - A disabled file (after STOP_COPY->STOP, RESUMING->STOP or reset, xe_vfio_pci_put_file)
//   answers ENODEV to read() and write(), as the model answers an ended session.
// - MIG_DATA_SIZE (xe_vfio_pci_get_data_size): the PF's stop-copy size, in any state.
// - Destination: write() passes the data to the PF; RESUMING->STOP calls the PF's
//   resume_data_exit, whose checks are in the PF driver: the profile credits the VF driver
//   with none.
//
// Needs hooks that do not exist yet: xe stops the device on RUNNING->RUNNING_P2P ("STOP
// handling is reused for RUNNING_P2P"), so its device changes nothing in RUNNING_P2P, where
// the model lets every device run; a failed next-step lookup reports an error to the PF
// (xe_sriov_vfio_error) as a side effect of a refused SET; reset is deferred while the state
// mutex is held (xe_vfio_pci_reset_done, deferred_reset).

import type { DriverProfile } from './profile.js';
import { noPrecopy } from './no-precopy.js';

export const xe: DriverProfile = {
  // The no-PRE_COPY family's behaviour (no-precopy.ts), with what this driver's source shows on top.
  ...noPrecopy,
  name: 'xe',
  doc: 'Intel Xe VF (drivers/vfio/pci/xe/main.c): no PRE_COPY (precopy_info ENOTTY), the PF streams the state in STOP_COPY, read until 0, destination checks left to the PF (DRV-5)',
  detectsIncomplete: false,
};
