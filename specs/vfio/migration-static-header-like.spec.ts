// static-header-like driver (hisi_acc, qat, mtty; model/drivers/static-header-like.ts):
// pre-copy carries only a compatibility header, read() answers 0 instead of ENOMSG at the
// temporary end, the whole state comes in STOP_COPY, and the destination accepts a stream
// that holds only the header. The 0 in PRE_COPY is against a SHOULD (PRECOPY-11) that no
// headline property judges; every property holds. hisi_acc has no P2P: FEATURES=PRE_COPY.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationStaticHeaderLike',
  doc: 'static-header-like driver (hisi_acc/qat/mtty): header-only pre-copy, 0 at the temporary end; adversarial and qemu-like users.',
  driver: 'static-header-like',
  expect: [
    { status: 'ok', distinct: 2740, depth: 19 },
    { constants: { FEATURES: 'PRE_COPY' }, status: 'ok', distinct: 1968, depth: 19, note: 'hisi_acc: no P2P' },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 467, depth: 23 },
    { constants: { USER: 'qemu-like', SWITCHOVER_ACK: true }, status: 'ok', distinct: 246, depth: 25 },
  ],
});
