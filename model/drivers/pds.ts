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
// - The save fd after its session ended (STOP_COPY->STOP, or a reset: pds_vfio_reset() in
//   vfio_dev.c puts both files, v6.9 on): pds_vfio_put_lm_file() frees the pages and sets the
//   file's size to 0 but leaves the user's fd open and its position where it was, and
//   pds_vfio_save_read() has no "disabled" check. So read() answers EINVAL once the position is
//   past 0 (something was read) and 0 (end of stream) while nothing was read (`staleRead` with
//   the private field `readAny`, kept by `onRead`). A 0 on an ended session is a read a user
//   takes for a complete, empty stream: EndedSessionFdFails (SAVE-4) fails for this driver.
// - precopy_info on that fd: ENOTTY like on a live one (no ioctl in the fops).
// - Reset: KERNEL_RESET (RUNNING, both files put), the default, as from v6.9; the v6.6..v6.8
//   behaviour is the history profile pds-reset-v6.8 (model/drivers/history.ts).
//
// - Firmware recovery (`asyncError`): when pds_core finished a recovery it notifies the
//   driver (pds_vfio_pci_notify_handler(), PDS_EVENT_RESET with state 1), and
//   pds_vfio_recovery() (pci_drv.c, v6.9 on: "vfio/pds: Refactor/simplify reset logic") calls
//   pds_vfio_reset(pds_vfio, VFIO_DEVICE_STATE_ERROR) under the state mutex in every state
//   but RUNNING and ERROR: both files are put (the stale-fd answers above apply) and the
//   cached state is ERROR until VFIO_DEVICE_RESET (pds_vfio_pci_aer_reset_done() puts the files
//   again and caches RUNNING: KERNEL_RESET). The model lets it happen at any step in
//   RUNNING_P2P, STOP, STOP_COPY and RESUMING, as often as it likes: the state space stays
//   small (960 states for the adversarial user, 354 for QEMU, at the spec's bounds) and needs
//   no bound. v6.6..v6.8 only deferred that reset to the next unlock of the state mutex
//   (pds_vfio_state_mutex_unlock(): the end of the next SET or GET), so reads of the save file
//   in between still got the data; that version is not modelled.
//
// Not modelled: the recovery in RUNNING while dirty tracking is on (pds_vfio_dirty_is_enabled():
// the model has no DMA logging; the next SET fails there just as from RUNNING_P2P) and on the
// destination device (which has no driver hooks); a SET from ERROR answers EIO in pds
// (pds_vfio_set_device_state() runs no step in ERROR and returns -EIO, ERR-5) where the model
// answers the kernel core's EINVAL (vfio_mig_get_next_state(), drivers/vfio/vfio_main.c) — a
// user sees a failed SET either way; and a write past the restore buffer's end answering
// EINVAL (the model's streams never exceed the state's size).

import type { DriverProfile } from './profile.js';
import { noPrecopy } from './no-precopy.js';

export const pds: DriverProfile = {
  // The no-PRE_COPY family's behaviour (no-precopy.ts), with what this driver's source shows on top.
  ...noPrecopy,
  name: 'pds',
  doc: 'AMD/Pensando pds (drivers/vfio/pci/pds/lm.c): no PRE_COPY (precopy_info ENOTTY), whole state saved synchronously at STOP->STOP_COPY, read until 0, destination checks nothing (DRV-5, DATA-5); an ended save fd reads 0 until something was read, then EINVAL (SAVE-4); firmware recovery moves the device to ERROR on its own (ERR-7)',
  detectsIncomplete: false,
  state: {
    readAny: { type: 'bool', init: false, doc: 'the save fd\'s position is past 0: the user read from the current (or last) save file' },
  },
  onArc(dev, from, to) {
    // pds_vfio_get_save_file(): a new file, position 0.
    if (from === 'STOP' && to === 'STOP_COPY') dev.drv.readAny = false;
    noPrecopy.onArc(dev, from, to);
  },
  onRead(dev) {
    dev.drv.readAny = true;
  },
  // pds_vfio_save_read() on the put file: size 0, so `*pos > size` (EINVAL) once anything was read, else a 0-byte read.
  staleRead: (dev) => (dev.drv.readAny ? 'EINVAL' : 'EOF'),
  stalePrecopyInfo: () => 'ENOTTY',
  // pds_vfio_recovery() (pci_drv.c, v6.9 on): in every state but RUNNING and ERROR, pds_vfio_reset(ERROR).
  asyncError: {
    label: 'firmware recovery: pds_vfio_recovery() puts the save and restore files',
    doc: 'the firmware finished a recovery (PDS_EVENT_RESET, state 1): pds_vfio_reset(pds_vfio, VFIO_DEVICE_STATE_ERROR) puts both files and caches ERROR (ERR-7)',
    states: ['RUNNING_P2P', 'STOP', 'STOP_COPY', 'RESUMING'],
  },
};
