// no-precopy driver (pds, xe; model/drivers/no-precopy.ts): STOP_COPY and P2P only; the
// whole state is captured on STOP->STOP_COPY. Every property holds.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationNoPrecopy',
  doc: 'no-precopy driver (pds/xe): all state in STOP_COPY; adversarial and qemu-like users.',
  driver: 'no-precopy',
  expect: [
    { status: 'ok', distinct: 768, depth: 16 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 166, depth: 21 },
    { constants: { FEATURES: 'none' }, status: 'ok', distinct: 576, depth: 16, note: 'no P2P either' },
  ],
});
