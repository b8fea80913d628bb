// Broken driver: keeps answering VFIO_MIG_GET_PRECOPY_INFO in STOP_COPY (PRECOPY-2 asks for
// EINVAL outside PRE_COPY states; wording-history point 5). The adversarial user sees it at
// once; QEMU never asks in STOP_COPY, so under the qemu-like user every property holds.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationBrokenInfoInStopCopy',
  doc: 'Broken driver: precopy_info answers in STOP_COPY.',
  driver: 'broken-info-in-stop-copy',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'PrecopyInfoOnlyInPreCopy' },
      trace: [
        'Init',
        'src: SET_STATE(STOP_COPY) = 0, data_fd=3',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 0}',
      ],
    },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 4718, depth: 25 },
  ],
});
