// The built-in default: a whole migration, source and destination, under the adversarial
// user, with the reference driver and every feature (P2P and PRE_COPY). Two units of device
// state, each changed at most twice: enough for dirtying in PRE_COPY and in PRE_COPY_P2P
// (the same unit in both), an early switch to STOP_COPY with initial data unread,
// PRE_COPY->RUNNING and a new session, RESET of either device, and REINIT with and without
// the opt-in. Every property holds.
//
//   npx migcheck check                                  (this spec)
//   npx migcheck check --driver mlx5-like --user qemu-like --features P2P,PRE_COPY --const UNITS=3

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigration',
  doc: 'Source + destination, adversarial user, reference driver, all features: no lost mandatory data, precopy_info only in PRE_COPY, …',
  maxVersion: 2,
  expect: [
    { status: 'ok', distinct: 52176, depth: 24 },
  ],
});
