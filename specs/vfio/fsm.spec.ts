// One VFIO migration device under an adversarial user: the control half of the migration
// uAPI (states, the kernel's combination walk, sessions and data_fds, ERROR and reset).
//
// The user may issue SET_STATE to any of the eight states at any time, GET_STATE, RESET,
// and close any fd it holds. A SET walks the kernel's next-step table one arc at a time;
// with ARC_FAILURES any arc may fail (SET-3, COMB-5), and with FAIL_TO_ERROR the failure may
// also leave the device in ERROR (ERR-2). Abstracted: the data stream, P2P, DMA (see
// docs/vfio-model.md). Every property holds for each feature set, with and without failures.

import { controlSpec } from '../../model/datapath/control.js';

export default controlSpec({
  name: 'VfioFsm',
  doc: 'One VFIO migration device, adversarial user: every SET, GET, RESET and close(fd); the kernel\'s table.',
  // Exhaustive: every feature set, without failures, with failed arcs (SET-3), and with
  // failures that may leave the device in ERROR (ERR-2). Distinct counts are of the view
  // (device, fds, hung); the record of the last SET never splits a state.
  expect: [
    { status: 'ok', distinct: 44, generated: 461, depth: 6, note: 'defaults: all features, no failures' },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 24, generated: 257, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 24, generated: 369, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 44, generated: 701, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 28, generated: 299, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 28, generated: 507, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 48, generated: 935, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 32, generated: 339, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 32, generated: 543, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 52, generated: 967, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 44, generated: 461, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 44, generated: 953, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 64, generated: 1665, depth: 7 },
  ],
});
