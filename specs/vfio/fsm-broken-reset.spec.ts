// Broken variant: a driver whose VFIO_DEVICE_RESET puts the device back in RUNNING but
// forgets to end the migration session, so the old data_fd stays live (against ERR-6).
// QEMU would later see a second fd while it still holds one (SAVE-7). Expected: the
// shortest trace opens a session and resets.

import { migrationSpec } from '../../model/datapath/migration.js';
import { reference, type DriverProfile } from '../../model/drivers/index.js';

const resetKeepsSession: DriverProfile = {
  ...reference,
  name: 'reset-keeps-session',
  doc: 'VFIO_DEVICE_RESET puts the device in RUNNING and forgets to end the session (against ERR-6)',
  reset: () => ({ state: 'RUNNING', endsSession: false }),
  breaks: 'ResetEndsEverySession',
};

export default migrationSpec({
  name: 'VfioFsmBrokenReset',
  doc: 'Broken driver: RESET leaves the migration session alive.',
  user: 'control',
  driver: resetKeepsSession,
  features: 'STOP_COPY|P2P|PRE_COPY',
  units: 1,
  maxFds: 2,
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
