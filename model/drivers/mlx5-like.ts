// mlx5-like: the NVIDIA ConnectX VF driver's data path (drivers.md "mlx5"; DRV-1, DRV-4,
// PRECOPY-15, REINIT-5). virtio-net VFs behave the same way without REINIT.
//
// - PRE_COPY entry buffers the initial image. Changes are only tracked (FW dirty state);
//   new pre-copy data is created only from inside VFIO_MIG_GET_PRECOPY_INFO, in PRE_COPY
//   (not PRE_COPY_P2P, where the device may be suspended), when everything buffered has been
//   read (PRECOPY-15): mlx5vf_precopy_ioctl() (drivers/vfio/pci/mlx5/main.c) then issues an
//   asynchronous SAVE (mlx5vf_cmd_save_vhca_state(), cmd.c) whose data arrives later
//   (`pending` until DriverSaveDone). A user that only reads sees ENOMSG after the initial
//   image; a read() while that SAVE is in flight waits (EAGAIN for a non-blocking reader,
//   mlx5vf_save_read(); since bd0da611312b, whose broken twin is in history.ts).
// - precopy_info reports only initial_bytes while initial data is unread; after that,
//   dirty_bytes = unread dirty data + the tracked changes (in PRE_COPY only).
// - The arc into STOP_COPY starts the final save asynchronously: until it completes, read()
//   with nothing buffered answers EAGAIN (a blocking read waits), and the end comes only
//   after the final data (DATA-10, DRV-4). Chunk mode (v6.7 on, firmware permitting) cuts
//   that save into chunks by byte count, so a reader can also wait between chunks; the model
//   completes the save in one step: a chunk boundary is not a unit boundary, and splitting
//   by unit number would make the model depend on unit order (specs/vfio/symmetry.spec.ts).
// - Destination: images are loaded during write(); RESUMING->STOP checks nothing, so a
//   stream cut short is accepted (DATA-5, drivers.md).
// - REINIT (2026): after the opt-in, when the firmware is back in its init phase, every
//   unread byte counts as new initial data and a new image is buffered (REINIT-5).

import { inPreCopy, inSavingGroup } from '../states.js';
import {
  captureImage, captureTracked, discard, unread, unreadInitial, trackedCount, hasBuffered, trackAll,
} from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';

export const mlx5Like: DriverProfile = {
  name: 'mlx5-like',
  doc: 'mlx5 (drivers/vfio/pci/mlx5): initial image, new dirty data only from an asynchronous SAVE issued inside precopy_info (PRECOPY-15), STOP_COPY saved asynchronously (DATA-10), REINIT after opt-in (REINIT-5), destination checks nothing (DATA-5)',
  flags: ['P2P', 'PRE_COPY'],
  onArc(dev, from, to) {
    if (inPreCopy(to) && !inSavingGroup(from)) captureImage(dev, 'initial');
    if (to === 'STOP_COPY') {
      // From STOP nothing is in the stream yet: the save takes the whole device.
      if (from === 'STOP') trackAll(dev);
      dev.pending = true;
    }
  },
  onDirty(dev, u) {
    if (dev.live && inPreCopy(dev.state)) dev.tracked[u] = true;
  },
  readEmpty: (dev) => (dev.pending ? 'EAGAIN' : dev.state === 'STOP_COPY' ? 'EOF' : 'ENOMSG'),
  precopyInfo(dev) {
    if (!inPreCopy(dev.state)) return { ok: false, errno: 'EINVAL' };
    const initial = unreadInitial(dev);
    const fw = dev.state === 'PRE_COPY' ? trackedCount(dev) : 0;
    return { ok: true, initial, dirty: initial > 0 ? 0 : unread(dev, 'dirty') + fw, reinit: dev.optIn && dev.reinitPending };
  },
  afterPrecopyInfo(dev) {
    // The SAVE is issued here and completes later (DriverSaveDone).
    if (dev.state === 'PRE_COPY' && !dev.pending && !hasBuffered(dev) && trackedCount(dev) > 0) dev.pending = true;
  },
  reinit(dev) {
    if (dev.optIn) {
      // Everything unread is initial data now, and the new image supersedes it.
      discard(dev, 'dirty');
      captureImage(dev, 'initial');
      for (let u = 0; u < dev.tracked.length; u++) dev.tracked[u] = false;
    } else {
      // The old driver has no way to say so: the firmware's new data is just changes.
      trackAll(dev);
    }
  },
  saveDone(dev) {
    captureTracked(dev, inPreCopy(dev.state) ? 'dirty' : 'final');
    if (!inPreCopy(dev.state)) dev.end = true;
  },
  // The firmware's answer: what is still to be sent, or the whole device outside a session.
  dataSize: (dev) => (dev.live ? unreadInitial(dev) + unread(dev, 'dirty') + unread(dev, 'final') + trackedCount(dev) : dev.units.length),
  // The destination loads each image as write() completes it; RESUMING->STOP only disables
  // the fds (drivers/vfio/pci/mlx5/main.c, mlx5vf_pci_step_device_state_locked(), v6.2 to
  // v7.1; virtio: drivers/vfio/pci/virtio/migrate.c, virtiovf_pci_step_device_state_locked()),
  // so a truncated stream is accepted (DATA-5 as real drivers do it).
  detectsIncomplete: false,
};
