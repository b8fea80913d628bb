// Broken variant: a driver whose VFIO_DEVICE_RESET puts the device back in RUNNING but
// forgets to end the migration session, so the old data_fd stays live (against ERR-6).
// QEMU would later see a second fd while it still holds one (SAVE-7). Expected: the
// shortest trace opens a session and resets.

import { controlSpec } from '../../model/datapath/control.js';

export default controlSpec({
  name: 'VfioFsmBrokenReset',
  doc: 'Broken driver: RESET leaves the migration session alive.',
  driver: { name: 'reset-keeps-session', resetEndsSessions: false },
  expect: [
    {
      status: 'violation',
      violation: { kind: 'action-property', name: 'ResetEndsEverySession' },
      trace: ['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3', 'RESET = 0 (device in RUNNING; the saving session stays live)'],
    },
    {
      constants: { FEATURES: 'STOP_COPY' },
      status: 'violation',
      violation: { kind: 'action-property', name: 'ResetEndsEverySession' },
      trace: ['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3', 'RESET = 0 (device in RUNNING; the saving session stays live)'],
    },
  ],
});
