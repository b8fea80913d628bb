// Driver bugs the kernel fixed since PRE_COPY landed (v6.2), each as the profile of the
// driver before the fix beside the profile after it. The regression suite
// specs/vfio/history/ checks each pair: the broken twin fails a named property with a
// pinned shortest trace, the fixed twin passes (docs/vfio-model.md, "Bug history").
//
// The twins differ in the one behaviour the fix changed and are spread from the closest
// conforming profile, so the rest of the driver is the model's usual abstraction of it.
// They are not in the `--driver` registry: they are history, not drivers to check a VMM against.

import { inPreCopy } from '../states.js';
import { trackedCount, unreadInitial } from '../datapath/stream.js';
import { KERNEL_RESET, type DriverProfile, type ResetEffect } from './profile.js';
import { mlx5Like } from './mlx5-like.js';
import { noPrecopy } from './no-precopy.js';
import { hisiAcc } from './hisi-acc.js';

// ---------------------------------------------------------------------------------------
// mlx5: dirty_bytes (commit 4928f67bc911, v6.3-rc4; Fixes: 0dce165b1adf, v6.2)

/**
 * mlx5 before "vfio/mlx5: Fix the report of dirty_bytes upon pre-copy": once the initial
 * data was read, mlx5vf_precopy_ioctl() (drivers/vfio/pci/mlx5/main.c, v6.2) reported as
 * dirty_bytes only what the device had still to save, not the data already saved into the
 * migration file and unread. Fails DirtyBytesCountUnread.
 */
export const mlx5DirtyBytesV6_2: DriverProfile = {
  ...mlx5Like,
  name: 'mlx5-dirty-bytes-v6.2',
  doc: 'mlx5 v6.2: dirty_bytes leaves out the saved, unread pre-copy data (fixed by 4928f67bc911)',
  breaks: 'DirtyBytesCountUnread',
  precopyInfo(dev) {
    if (!inPreCopy(dev.state)) return { ok: false, errno: 'EINVAL' };
    const initial = unreadInitial(dev);
    const fw = dev.state === 'PRE_COPY' ? trackedCount(dev) : 0;
    return { ok: true, initial, dirty: initial > 0 ? 0 : fw, reinit: dev.optIn && dev.reinitPending };
  },
};

/** The fixed twin: mlx5-like, whose dirty_bytes is the unread dirty data plus the device's extra bytes. */
export const mlx5DirtyBytesV6_3: DriverProfile = { ...mlx5Like, name: 'mlx5-dirty-bytes-v6.3', doc: 'mlx5 from v6.3: dirty_bytes counts the unread saved data too (4928f67bc911)' };

// ---------------------------------------------------------------------------------------
// mlx5: a pre-copy SAVE in flight (commit bd0da611312b, 2026 series with MIG_PRECOPY_INFOv2)

/**
 * mlx5 with its asynchronous pre-copy SAVE, after "vfio/mlx5: consider inflight SAVE during
 * PRE_COPY": precopy_info in PRE_COPY, with nothing buffered and changes tracked, issues
 * a SAVE command (mlx5vf_cmd_save_vhca_state(), drivers/vfio/pci/mlx5/cmd.c) whose data
 * arrives later (`pending`, the model's asynchronous-save flag, until DriverSaveDone); a
 * read() with nothing buffered while that SAVE is in flight waits (EAGAIN for a
 * non-blocking reader) instead of answering ENOMSG (mlx5vf_save_read(), main.c). This is
 * mlx5-like, the driver as it is now.
 */
export const mlx5InflightSaveFixed: DriverProfile = {
  ...mlx5Like,
  name: 'mlx5-inflight-save-v7.1',
  doc: 'mlx5 with the asynchronous pre-copy SAVE; read() waits while it is in flight (bd0da611312b)',
};

/**
 * The same driver before the fix (v6.2 to v7.0): the wait in mlx5vf_save_read() ended as soon
 * as the file was in its PRE_COPY state, so a read() while the SAVE was in flight answered
 * ENOMSG, the temporary end of the stream, with data on its way. Fails NoEnomsgWhileSaving.
 */
export const mlx5InflightSaveBroken: DriverProfile = {
  ...mlx5InflightSaveFixed,
  name: 'mlx5-inflight-save-v6.2',
  doc: 'mlx5 v6.2..v7.0: read() answers ENOMSG while a pre-copy SAVE is in flight (fixed by bd0da611312b)',
  breaks: 'NoEnomsgWhileSaving',
  readEmpty: (dev) => (dev.state === 'STOP_COPY' ? (dev.pending ? 'EAGAIN' : 'EOF') : 'ENOMSG'),
};

// ---------------------------------------------------------------------------------------
// pds: reset (commit 8512ed256334, v6.9)

const PDS_RESET_KEEPS_FILES: ResetEffect = { state: 'RUNNING', endsSession: false };

/**
 * pds before "vfio/pds: Always clear the save/restore FDs on reset": the deferred reset in
 * pds_vfio_state_mutex_unlock() (drivers/vfio/pci/pds/vfio_dev.c, v6.6 to v6.8) put the
 * save and restore files only when the device was in ERROR; from any other state the
 * device went to RUNNING with its save file still live. Fails ResetEndsSession.
 */
export const pdsResetV6_8: DriverProfile = {
  ...noPrecopy,
  name: 'pds-reset-v6.8',
  doc: 'pds v6.6..v6.8: a reset outside ERROR keeps the save file (fixed by 8512ed256334)',
  breaks: 'ResetEndsSession',
  reset: (dev) => (dev.state === 'ERROR' ? KERNEL_RESET : PDS_RESET_KEEPS_FILES),
};

/** The fixed twin: pds_vfio_reset() puts both files whatever the state (v6.9). */
export const pdsResetV6_9: DriverProfile = {
  ...noPrecopy,
  name: 'pds-reset-v6.9',
  doc: 'pds from v6.9: every reset puts the save and restore files (8512ed256334)',
  reset: () => KERNEL_RESET,
};

// ---------------------------------------------------------------------------------------
// hisi_acc: reset with PRE_COPY claimed (commit 8be14dd48dfe, v7.0)

const HISI_RESET_SKIPPED: ResetEffect = { state: 'keep', endsSession: false };

/**
 * hisi_acc before "hisi_acc_vfio_pci: update status after RAS error": the reset_done handler
 * hisi_acc_vf_pci_aer_reset_done() (drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c) returned
 * at once unless migration_flags was exactly VFIO_MIGRATION_STOP_COPY, so once the driver
 * claimed PRE_COPY too its reset never ran: the cached state stayed where it was and the
 * save file stayed live. Fails ResetReturnsToRunning (and ResetEndsSession).
 */
export const hisiResetBroken: DriverProfile = {
  ...hisiAcc,
  name: 'hisi-acc-reset-v6.19',
  doc: 'hisi_acc with PRE_COPY, before 8be14dd48dfe: reset_done skips the migration reset',
  breaks: 'ResetReturnsToRunning',
  reset: () => HISI_RESET_SKIPPED,
};

/** The fixed twin: the handler tests for migration ops, and the reset sets RUNNING and puts the files (v7.0). */
export const hisiResetFixed: DriverProfile = {
  ...hisiAcc,
  name: 'hisi-acc-reset-v7.0',
  doc: 'hisi_acc from v7.0: reset_done resets the migration state whenever migration is supported (8be14dd48dfe)',
  reset: () => KERNEL_RESET,
};
