// One VFIO migration device under an adversarial user: the control half of the migration
// uAPI (states, the kernel's combination walk, sessions and data_fds, ERROR and reset).
//
// The user may issue SET_STATE to any of the eight states at any time, GET_STATE, RESET,
// and close any fd it holds. A SET walks the kernel's next-step table one arc at a time;
// with ARC_FAILURES any arc may fail (SET-3, COMB-5), and with FAIL_TO_ERROR the failure may
// also leave the device in ERROR (ERR-2). Abstracted: the data stream, P2P, DMA (see
// docs/vfio-model.md). Every property holds for each feature set, with and without failures.

import { controlSpec } from '../../model/control.js';

export default controlSpec({
  name: 'VfioFsm',
  doc: 'One VFIO migration device, adversarial user: every SET, GET, RESET and close(fd); the kernel\'s table.',
  expect: [],
});
