// static-header-like: the static-header family (drivers.md; DRV-2), and exactly the mtty
// sample (samples/vfio-mdev/mtty.c: mtty_precopy_ioctl(), mtty_save_read(); its P2P arcs
// are no-ops). hisi-acc.ts and qat.ts spread it with their own differences.
//
// PRE_COPY carries only a compatibility header (device id, version, configuration), used
// by the destination for an early compatibility check. Nothing is tracked: dirty_bytes is
// always 0. When the header has been read, read() answers 0 rather than ENOMSG, also in
// PRE_COPY (against the SHOULD of PRECOPY-11; harmless for QEMU, which treats both alike,
// QEMU-3). The arc into STOP_COPY appends the whole device state to the same stream. The
// destination accepts a stream that holds only the header (hisi_acc's RESUMING->STOP), so
// it does not detect an incomplete stream. hisi_acc has no P2P: use `--features PRE_COPY`.

import { inPreCopy, inSavingGroup } from '../states.js';
import { captureImage } from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';

export const staticHeaderLike: DriverProfile = {
  name: 'static-header-like',
  doc: 'hisi_acc/qat/mtty: pre-copy sends only a compatibility header, dirty always 0, read returns 0 (not ENOMSG) at the temporary end, all state in STOP_COPY (DRV-2)',
  flags: ['P2P', 'PRE_COPY'],
  onArc(dev, from, to) {
    if (inPreCopy(to) && !inSavingGroup(from)) dev.header = true;
    if (to === 'STOP_COPY') {
      if (from === 'STOP') dev.header = true;
      captureImage(dev, 'final');
      dev.end = true;
    }
  },
  onDirty() {},
  readEmpty: () => 'EOF',
  precopyInfo(dev) {
    if (!inPreCopy(dev.state)) return { ok: false, errno: 'EINVAL' };
    return { ok: true, initial: dev.header ? 1 : 0, dirty: 0, reinit: false };
  },
  // A constant: the size of the driver's state structure (SIZE-3).
  dataSize: (dev) => dev.units.length + 1,
  detectsIncomplete: false,
};

