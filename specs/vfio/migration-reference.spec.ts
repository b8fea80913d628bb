// The reference driver (model/drivers/reference.ts) under each user and feature set. The
// default spec checks it under the adversarial user with every feature and two changes per
// unit; here: one change per unit, each feature set, and QEMU with and without
// switchover-ack. Every property holds.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationReference',
  doc: 'Reference driver: adversarial and qemu-like users, every feature set.',
  driver: 'reference',
  expect: [
    { status: 'ok', distinct: 12406, depth: 22 },
    { constants: { FEATURES: 'PRE_COPY' }, status: 'ok', distinct: 8508, depth: 22, note: 'no P2P (hisi_acc feature set)' },
    { constants: { FEATURES: 'P2P' }, status: 'ok', distinct: 768, depth: 16 },
    { constants: { FEATURES: 'none' }, status: 'ok', distinct: 576, depth: 16 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 4718, depth: 25 },
    { constants: { USER: 'qemu-like', SWITCHOVER_ACK: true }, status: 'ok', distinct: 2236, depth: 29 },
    { constants: { USER: 'qemu-like', FEATURES: 'PRE_COPY' }, status: 'ok', distinct: 3883, depth: 23 },
    { constants: { USER: 'qemu-like', FEATURES: 'P2P' }, status: 'ok', distinct: 166, depth: 21 },
  ],
});
