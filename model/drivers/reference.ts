// The reference driver: does what the uAPI text asks, every MUST and SHOULD.
//
// - RUNNING->PRE_COPY and RUNNING_P2P->PRE_COPY_P2P buffer a whole image of the device as
//   the initial data set, so initial_bytes starts non-zero (PRECOPY-4, PRECOPY-5).
// - While a PRE_COPY state runs, every change the device makes is captured at once as a
//   dirty record (FSM-8, FSM-9, PRECOPY-7), so read() finds nothing only when both
//   initial_bytes and dirty_bytes are 0, and then answers ENOMSG (PRECOPY-10, PRECOPY-11).
// - The arc into STOP_COPY adds the trailer: from STOP the whole image, from a PRE_COPY
//   state whatever the tracker still holds; then the end record. Unread initial and dirty
//   data stays in the stream: the initial data set is read in PRE_COPY or in STOP_COPY
//   (wording-history point 1). read() at the end answers 0, for ever (DATA-7, DATA-8).
// - precopy_info answers only in PRE_COPY states, EINVAL elsewhere (PRECOPY-2); REINIT only
//   after the opt-in (REINIT-3). When the device re-initialises its migration data without
//   the opt-in, the new data is reported as dirty data, so initial_bytes never grows
//   (PRECOPY-5); with the opt-in it is new initial data announced by REINIT (REINIT-2).
// - MIG_DATA_SIZE answers in every state (SIZE-2) with what STOP_COPY would still send.
// - Its destination rejects a stream without its end record (DATA-5).

import { inPreCopy, inSavingGroup } from '../states.js';
import {
  capture, captureImage, captureTracked, discard, unread, unreadInitial, trackedCount,
} from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';

export const reference: DriverProfile = {
  name: 'reference',
  doc: 'follows every MUST and SHOULD of the uAPI text (initial image, eager dirty capture, ENOMSG, EINVAL outside PRE_COPY, REINIT after opt-in)',
  flags: ['P2P', 'PRE_COPY'],
  onArc(dev, from, to) {
    if (inPreCopy(to) && !inSavingGroup(from)) captureImage(dev, 'initial');
    if (to === 'STOP_COPY') {
      if (from === 'STOP') captureImage(dev, 'final');
      else captureTracked(dev, 'final');
      dev.end = true;
    }
  },
  onDirty(dev, u) {
    if (dev.live && inPreCopy(dev.state)) capture(dev, 'dirty', u);
  },
  readEmpty: (dev) => (dev.state === 'STOP_COPY' ? (dev.pending ? 'EAGAIN' : 'EOF') : 'ENOMSG'),
  precopyInfo(dev) {
    if (!inPreCopy(dev.state)) return { ok: false, errno: 'EINVAL' };
    return { ok: true, initial: unreadInitial(dev), dirty: unread(dev, 'dirty') + trackedCount(dev), reinit: dev.optIn && dev.reinitPending };
  },
  reinit(dev) {
    if (dev.optIn) {
      // New initial data: a fresh image supersedes what was buffered as dirty (REINIT-2).
      discard(dev, 'dirty');
      captureImage(dev, 'initial');
    } else {
      // Without the opt-in there is no way to announce new initial data: send it as dirty data.
      captureImage(dev, 'dirty');
    }
    for (let u = 0; u < dev.tracked.length; u++) dev.tracked[u] = false;
  },
  dataSize: (dev) => (dev.live ? unreadInitial(dev) + unread(dev, 'dirty') + unread(dev, 'final') + trackedCount(dev) : dev.units.length),
  detectsIncomplete: true,
};
