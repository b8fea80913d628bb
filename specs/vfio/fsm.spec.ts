// One VFIO migration device under an adversarial user: the control half of the migration
// uAPI (states, the kernel's combination walk, sessions and data_fds, ERROR and reset), as a
// configuration of the migration model (model/datapath/migration.ts) with the control user
// (model/users/control.ts) and the reference driver, whose control hooks are the kernel's.
//
// The user may issue SET_STATE to any of the eight states at any time, GET_STATE, RESET,
// and close any fd it holds (MAX_FDS of them). A SET walks the kernel's next-step table one
// arc at a time; with ARC_FAILURES any arc may fail (SET-3, COMB-5), and with FAIL_TO_ERROR
// the failure may also leave the device in ERROR (ERR-2). The control user reads no stream,
// so the device's data steps are left out; one unit of device state is enough for the
// driver's buffers to follow the sessions. Abstracted: P2P, DMA (see docs/vfio-model.md).
// Every property holds for each feature set, with and without failures.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioFsm',
  doc: 'One VFIO migration device, the control user: every SET, GET, RESET and close(fd); the kernel\'s table.',
  user: 'control',
  features: 'STOP_COPY|P2P|PRE_COPY',
  units: 1,
  maxFds: 2,
  // Exhaustive: every feature set, without failures, with failed arcs (SET-3), and with
  // failures that may leave the device in ERROR (ERR-2). Distinct counts are of the view;
  // the record of the last SET never splits a state. With PRE_COPY the source's buffers
  // split states the control-only model merged (a STOP_COPY reached through PRE_COPY still
  // holds the unread initial image, one reached through STOP holds the final one): 44, 32
  // and 52/64 distinct before the one model, 52, 40 and 76/88 now; without PRE_COPY the
  // counts are as before.
  expect: [
    { status: 'ok', distinct: 52, generated: 547, depth: 7, note: 'defaults: all features, no failures' },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 24, generated: 257, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 24, generated: 369, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 44, generated: 701, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 28, generated: 299, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 28, generated: 507, depth: 6 },
    { constants: { FEATURES: 'STOP_COPY|P2P', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 48, generated: 935, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 40, generated: 425, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 40, generated: 669, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 76, generated: 1309, depth: 8 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: false, FAIL_TO_ERROR: false }, status: 'ok', distinct: 52, generated: 547, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: false }, status: 'ok', distinct: 52, generated: 1103, depth: 7 },
    { constants: { FEATURES: 'STOP_COPY|P2P|PRE_COPY', ARC_FAILURES: true, FAIL_TO_ERROR: true }, status: 'ok', distinct: 88, generated: 2055, depth: 8 },
  ],
});
