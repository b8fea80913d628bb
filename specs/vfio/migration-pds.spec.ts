// pds driver (model/drivers/pds.ts, drivers/vfio/pci/pds/lm.c): no PRE_COPY, the whole
// state saved synchronously at STOP->STOP_COPY, a destination that checks nothing. Every
// property holds, for the adversarial user and for QEMU; what pds does on an ended fd, on
// reset and on firmware recovery needs hooks the model does not have yet (see the profile).

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationPds',
  doc: 'pds driver: no PRE_COPY, synchronous STOP_COPY save, no destination check; adversarial and qemu-like users.',
  driver: 'pds',
  expect: [
    { status: 'ok', distinct: 768, depth: 16 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 166, depth: 21 },
  ],
});
