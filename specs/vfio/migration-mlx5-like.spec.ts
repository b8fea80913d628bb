// mlx5-like driver (model/drivers/mlx5-like.ts): new pre-copy data only from inside
// precopy_info (PRECOPY-15), an asynchronous pre-copy SAVE issued from precopy_info, an asynchronous STOP_COPY save (DATA-10), REINIT after the
// opt-in (REINIT-5). Every property holds, for the adversarial user and for QEMU.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationMlx5Like',
  doc: 'mlx5-like driver: lazy refill, asynchronous STOP_COPY save, REINIT; adversarial and qemu-like users.',
  driver: 'mlx5-like',
  expect: [
    { status: 'ok', distinct: 21232, depth: 24 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 4994, depth: 29 },
    { constants: { USER: 'qemu-like', SWITCHOVER_ACK: true }, status: 'ok', distinct: 2817, depth: 31 },
    { constants: { FEATURES: 'PRE_COPY' }, status: 'ok', distinct: 15654, depth: 24 },
  ],
});
