// pds driver (model/drivers/pds.ts, drivers/vfio/pci/pds/lm.c): no PRE_COPY, the whole
// state saved synchronously at STOP->STOP_COPY, a destination that checks nothing. Its save
// fd outlives the session it belongs to: pds_vfio_put_lm_file() empties the file (size 0) but
// pds_vfio_save_read() has no check that the file was put, so an ended fd from which nothing
// was read answers 0, the end of a stream, where the other drivers answer ENODEV (SAVE-4).
// The adversarial user finds that in three steps; QEMU never reads an ended fd and every
// property holds for it. The firmware's asynchronous move to ERROR is not modelled (see the profile).

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationPds',
  doc: 'pds driver: no PRE_COPY, synchronous STOP_COPY save, no destination check, an ended save fd that reads 0; adversarial and qemu-like users.',
  driver: 'pds',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'EndedSessionFdFails' },
      trace: ['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3', 'src: SET_STATE(STOP) = 0', 'src: read(3) = 0'],
      note: 'the session ended with nothing read: the put file has size 0 and position 0, so read() answers 0',
    },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 166, depth: 21 },
  ],
});
