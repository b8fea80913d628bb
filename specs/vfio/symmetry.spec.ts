// The default migration (adversarial user, reference driver, every feature, two units
// changed at most twice each) with its units interchangeable (SYMMETRY): read() sends a
// kind's records in the order of the units' data, and the search keeps one state per
// permutation of units (docs/decisions/symmetry-of-units.md). Every property holds, as in
// the default spec (52,176 states in unit order; 65,356 in data order without reduction;
// 34,898 orbits). The broken twin (broken-misses-p2p-dirty) loses a unit dirtied in
// PRE_COPY_P2P, found at the full search's depth.
//
//   npx migcheck check specs/vfio/symmetry.spec.ts
//   npx migcheck check specs/vfio/symmetry.spec.ts --check-symmetry     (the declaration holds)

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationSymmetric',
  doc: 'The default migration with interchangeable units: read() by data, one state per permutation of units',
  maxVersion: 2,
  symmetry: true,
  expect: [
    { status: 'ok', distinct: 34898, generated: 511517, depth: 24 },
    {
      constants: { DRIVER: 'broken-misses-p2p-dirty', MAX_VERSION: 1 },
      status: 'violation', distinct: 9570, generated: 112231, depth: 13,
      violation: { kind: 'action-property', name: 'NoLostMandatoryData' },
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY_P2P) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4',
        'dst: write(4, [initial unit 0 v0]) = ok',
        'src: read(3) = [initial unit 1 v0]',
        'dst: write(4, [initial unit 1 v0]) = ok',
        'src: device dirties unit 0 (now v1)',
        'src: SET_STATE(STOP_COPY) = 0',
        'src: read(3) = [end]',
        'dst: write(4, [end]) = ok',
        'src: read(3) = 0',
        'dst: SET_STATE(STOP) = 0 (RESUMING->STOP loaded [v0 v0]; the source has [v1 v0])',
      ],
    },
  ],
});
