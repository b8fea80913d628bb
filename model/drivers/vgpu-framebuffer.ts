// vgpu-framebuffer: the hypothetical driver from the March 2022 PRE_COPY thread
// (wording-history.md, disputed point 3). It claims PRE_COPY only for an early
// compatibility check, has no dirty tracking, and sends its whole (large) state, the
// framebuffer, in the STOP_COPY trailer. Unlike the static-header drivers it follows the
// text to the letter: ENOMSG at the temporary end (PRECOPY-11), EINVAL outside PRE_COPY
// states, and its destination checks that the stream is complete (DATA-5). What it
// stresses is the reading of initial_bytes/dirty_bytes as a promise about the STOP_COPY
// size, which the final text does not make (PRECOPY-8): precopy_info says {1, 0} while the
// trailer carries every unit and MIG_DATA_SIZE reports a framebuffer.

import { staticHeaderLike } from './static-header-like.js';
import type { DriverProfile } from './profile.js';

/** Records of framebuffer per unit that MIG_DATA_SIZE counts (SIZE-1: only an estimate). */
export const FRAMEBUFFER_RECORDS_PER_UNIT = 64;

/** The static-header drivers' stream (header in PRE_COPY, everything at STOP_COPY entry), by the letter of the text, with a framebuffer's size. */
export const vgpuFramebuffer: DriverProfile = {
  ...staticHeaderLike,
  name: 'vgpu-framebuffer',
  doc: 'the 2022 thread\'s vGPU: PRE_COPY only for a compatibility header, no dirty tracking, the whole framebuffer in the STOP_COPY trailer (PRECOPY-8)',
  readEmpty: (dev) => (dev.state === 'STOP_COPY' ? 'EOF' : 'ENOMSG'),
  dataSize: (dev) => dev.units.length * FRAMEBUFFER_RECORDS_PER_UNIT,
  detectsIncomplete: true,
};
