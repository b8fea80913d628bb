// Broken variant: a driver that, when asked for STOP_COPY, creates the saving file as soon
// as the device stops (on the arc into STOP) and hands that data_fd back, keeping it for
// the final arc STOP->STOP_COPY. Its loop lacks the in-tree guard (WARN, drop the fd,
// EINVAL), so the user receives an fd that came from an intermediate arc (against COMB-4).
// A direct STOP->STOP_COPY request behaves correctly; only combinations show the bug.

import { migrationSpec } from '../../model/datapath/migration.js';
import { reference, type DriverProfile } from '../../model/drivers/index.js';
import { sessionEffect } from '../../model/kernel/fsm.js';

const earlyFd: DriverProfile = {
  ...reference,
  name: 'early-fd',
  doc: 'opens the saving file on the arc into STOP when asked for STOP_COPY, and has no COMB-4 guard in its loop',
  guardIntermediateFd: false,
  arcSessions: (from, to, live, target) => {
    if (to === 'STOP' && target === 'STOP_COPY' && (from === 'RUNNING' || from === 'RUNNING_P2P')) return { opens: 'save' };
    if (from === 'STOP' && to === 'STOP_COPY' && live === 'save') return {};
    return sessionEffect(from, to);
  },
  breaks: 'NewFdOnlyFromFinalArc',
};

export default migrationSpec({
  name: 'VfioFsmBrokenEarlyFd',
  doc: 'Broken driver: returns the saving data_fd from the intermediate arc into STOP (COMB-4).',
  user: 'control',
  driver: earlyFd,
  features: 'STOP_COPY|P2P|PRE_COPY',
  units: 1,
  maxFds: 2,
  expect: [
    {
      status: 'violation',
      violation: { kind: 'action-property', name: 'NewFdOnlyFromFinalArc' },
      trace: ['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3 (from intermediate arc RUNNING_P2P->STOP)'],
    },
    {
      constants: { FEATURES: 'STOP_COPY' },
      status: 'violation',
      violation: { kind: 'action-property', name: 'NewFdOnlyFromFinalArc' },
      trace: ['Init', 'SET_STATE(STOP_COPY) = 0, data_fd=3 (from intermediate arc RUNNING->STOP)'],
    },
  ],
});
