// vgpu-framebuffer driver (the 2022 thread's example; model/drivers/vgpu-framebuffer.ts):
// PRE_COPY only for a compatibility header, no dirty tracking, the whole framebuffer in the
// STOP_COPY trailer. It follows the merged text, so every property holds; what it breaks is
// a reading of precopy_info as a promise about the STOP_COPY size (PRECOPY-8), which the
// wording clauses (with HISTORY on) speak about.

import { migrationSpec } from '../../model/datapath/migration.js';

export default migrationSpec({
  name: 'VfioMigrationVgpuFramebuffer',
  doc: 'vgpu-framebuffer driver: header-only pre-copy, whole state in the trailer; adversarial and qemu-like users.',
  driver: 'vgpu-framebuffer',
  expect: [
    { status: 'ok', distinct: 2740, depth: 19 },
    { constants: { USER: 'qemu-like' }, status: 'ok', distinct: 467, depth: 23 },
    { constants: { USER: 'qemu-like', SWITCHOVER_ACK: true }, status: 'ok', distinct: 246, depth: 25 },
  ],
});
