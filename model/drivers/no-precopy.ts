// no-precopy: pds (AMD/Pensando) and xe (Intel Xe VFs) (drivers.md; DRV-5). The device
// reports STOP_COPY and P2P only, so PRE_COPY and PRE_COPY_P2P do not exist (FEAT-8); the
// whole state is captured synchronously on STOP->STOP_COPY and read until 0. There is no
// precopy ioctl on the save fd (ENOTTY).

import { captureImage } from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';

export const noPrecopy: DriverProfile = {
  name: 'no-precopy',
  doc: 'pds/xe: no PRE_COPY; the whole state is captured at STOP->STOP_COPY (DRV-5)',
  flags: ['P2P'],
  onArc(dev, _from, to) {
    if (to === 'STOP_COPY') {
      captureImage(dev, 'final');
      dev.end = true;
    }
  },
  onDirty() {},
  readEmpty: () => 'EOF',
  precopyInfo: () => ({ ok: false, errno: 'ENOTTY' }),
  // A constant: PDS_LM_DEVICE_STATE_LENGTH (SIZE-3).
  dataSize: (dev) => dev.units.length,
  detectsIncomplete: true,
};
