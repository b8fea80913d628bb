// virtio: the virtio-pci VF variant driver (virtio-net and other devices with the virtio
// admin "device parts" commands), as drivers/vfio/pci/virtio/migrate.c has it in the stored
// version read for this profile (torvalds/linux commit e72a6c89bd46; live migration with
// PRE_COPY came in one 2024 series, believed first released in v6.13). Functions named below.
//
// - PRE_COPY entry (virtiovf_pci_save_device_data(pre_copy = true)): the whole device context
//   is read synchronously (virtiovf_read_device_context_chunk) and is the initial data set
//   (pre_copy_initial_bytes). The device tracks no changes of its own.
// - read() with nothing buffered (virtiovf_save_read): ENOMSG while the file is in its
//   PRECOPY state; 0 once the final context was read (COMPLETE).
// - VFIO_MIG_GET_PRECOPY_INFO (virtiovf_precopy_ioctl): EINVAL outside PRE_COPY and
//   PRE_COPY_P2P. While initial data is unread it reports only initial_bytes; after that,
//   dirty_bytes = what is buffered + the size of the whole context as the device reports it
//   (the spec has no dirty tracking, so the context is assumed changed). When everything has
//   been read, the ioctl itself re-reads the whole context into the buffer as new data: the
//   data the next read() returns exists only because precopy_info was called (PRECOPY-15).
//   The size query is rate-limited to one per second (pre_copy_rl_state); between queries the
//   ioctl reports no context and reads nothing. Time is not modelled: every query here is
//   let through (see "needs a hook" below).
// - The arc into STOP_COPY (virtiovf_pci_save_device_final_data from PRE_COPY_P2P, or
//   virtiovf_pci_save_device_data(pre_copy = false) from STOP) reads the whole context
//   synchronously and marks the file COMPLETE: no EAGAIN, no asynchronous save.
// - MIG_DATA_SIZE (virtiovf_pci_get_data_size): the context size the device reports, in any
//   state, with or without a session.
// - Destination (virtiovf_resume_write): each chunk is loaded with dev_parts_set as soon as
//   write() completes it; RESUMING->STOP only disables the fds
//   (virtiovf_pci_step_device_state_locked), so a stream cut short is accepted.
// - No REINIT.
//
// Needs a hook that does not exist yet: the rate limiter (a precopy_info answer that, by
// time, reports dirty_bytes without the context and does not re-read it) is a
// nondeterministic choice of the driver; read() answering EINVAL on an empty file that is
// neither PRECOPY nor COMPLETE (after an error) needs the stale/ended-fd answers.

import { inPreCopy, inSavingGroup } from '../states.js';
import { captureImage, hasBuffered, unread, unreadInitial } from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';

export const virtio: DriverProfile = {
  name: 'virtio',
  doc: 'virtio-pci VF (drivers/vfio/pci/virtio/migrate.c): whole context as initial data, context re-read inside precopy_info when the buffer is empty (PRECOPY-15), synchronous final save, destination checks nothing (DATA-5)',
  flags: ['P2P', 'PRE_COPY'],
  onArc(dev, from, to) {
    if (inPreCopy(to) && !inSavingGroup(from)) captureImage(dev, 'initial');
    if (to === 'STOP_COPY') {
      captureImage(dev, 'final');
      dev.end = true;
    }
  },
  // No dirty tracking: a change is only picked up by the next whole-context read.
  onDirty() {},
  readEmpty: (dev) => (dev.state === 'STOP_COPY' ? 'EOF' : 'ENOMSG'),
  precopyInfo(dev) {
    if (!inPreCopy(dev.state)) return { ok: false, errno: 'EINVAL' };
    const initial = unreadInitial(dev);
    if (initial > 0) return { ok: true, initial, dirty: 0, reinit: false };
    return { ok: true, initial: 0, dirty: unread(dev, 'dirty') + dev.units.length, reinit: false };
  },
  afterPrecopyInfo(dev) {
    // Everything read: the ioctl reads the whole context again as new data.
    if (inPreCopy(dev.state) && !hasBuffered(dev)) captureImage(dev, 'dirty');
  },
  dataSize: (dev) => dev.units.length,
  detectsIncomplete: false,
};
