// Broken variant: a driver that, when asked for STOP_COPY, creates the saving file as soon
// as the device stops (on the arc into STOP) and hands that data_fd back, keeping it for
// the final arc STOP->STOP_COPY. Its loop lacks the in-tree guard (WARN, drop the fd,
// EINVAL), so the user receives an fd that came from an intermediate arc (against COMB-4).
// A direct STOP->STOP_COPY request behaves correctly; only combinations show the bug.

import { controlSpec } from '../../model/datapath/control.js';
import { opensSession, endsSession } from '../../model/kernel/fsm.js';

export default controlSpec({
  name: 'VfioFsmBrokenEarlyFd',
  doc: 'Broken driver: returns the saving data_fd from the intermediate arc into STOP (COMB-4).',
  driver: {
    name: 'early-fd',
    guardIntermediateFd: false,
    arc: (from, to, live, target) => {
      if (to === 'STOP' && target === 'STOP_COPY' && (from === 'RUNNING' || from === 'RUNNING_P2P')) return { opens: 'save' };
      if (from === 'STOP' && to === 'STOP_COPY' && live === 'save') return {};
      return { opens: opensSession(from, to) ?? undefined, ends: endsSession(from, to) };
    },
  },
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
