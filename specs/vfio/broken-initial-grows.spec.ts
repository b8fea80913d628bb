// Broken driver: when the device re-initialises its migration data it counts the new data
// as initial data even without the MIG_PRECOPY_INFOv2 opt-in, so initial_bytes grows with no
// REINIT flag to announce it (PRECOPY-5; the problem the 2026 REINIT series solved,
// wording-history point 9).
//
// - adversarial user: InitialBytesNeverGrowWithoutReinit fails as soon as the device
//   re-initialises after a read.
// - qemu-like user: QEMU (2026) opts in at realize, so the REINIT is announced and every
//   property holds.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationBrokenInitialGrows',
  doc: 'Broken driver: initial_bytes grows without REINIT when the user did not opt in.',
  driver: 'broken-initial-grows',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'InitialBytesNeverGrowWithoutReinit' },
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'src: device re-initialises its migration data (precopy_info would answer {initial_bytes: 1, dirty_bytes: 0} before, {initial_bytes: 2, dirty_bytes: 0} now)',
      ],
    },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 4718, depth: 25 },
  ],
});
