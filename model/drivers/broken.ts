// Deliberately broken drivers. Each differs from a conforming profile in one behaviour and
// is caught by one named property with a pinned shortest trace (specs/vfio/broken-*.spec.ts).

import { inPreCopy, inSavingGroup } from '../states.js';
import { captureImage, capture, discard, unread, unreadInitial, trackedCount } from '../datapath/stream.js';
import type { DriverProfile } from './profile.js';
import { reference } from './reference.js';
import { mlx5Like } from './mlx5-like.js';

/**
 * Forgets the initial data the user has not read when it leaves PRE_COPY early: the arc
 * into STOP_COPY drops it and sends only the changes. Reads "initial data is only for
 * PRE_COPY" into the text (wording-history point 1). Caught by NoLostMandatoryData.
 */
export const brokenForgetsInitial: DriverProfile = {
  ...reference,
  name: 'broken-forgets-initial',
  doc: 'drops unread initial data when the user switches to STOP_COPY early (against DATA-9)',
  breaks: 'NoLostMandatoryData',
  onArc(dev, from, to) {
    if (to === 'STOP_COPY' && inPreCopy(from)) {
      discard(dev, 'initial');
      dev.header = false;
    }
    reference.onArc(dev, from, to);
  },
};

/**
 * mlx5-like, but while its asynchronous STOP_COPY save is in flight read() answers ENOMSG
 * (as in PRE_COPY) instead of EAGAIN, and its destination accepts any prefix of a stream.
 * Caught by NoEnomsgInStopCopy; with the qemu-like user, whose final drain stops at ENOMSG
 * (QEMU-3), it loses data: NoLostMandatoryData.
 */
export const brokenEnomsgInStopCopy: DriverProfile = {
  ...mlx5Like,
  name: 'broken-enomsg-in-stop-copy',
  doc: 'answers ENOMSG in STOP_COPY while its asynchronous save is pending (against DATA-8); its destination accepts a prefix',
  breaks: 'NoEnomsgInStopCopy',
  readEmpty: (dev) => (dev.state === 'STOP_COPY' && !dev.pending ? 'EOF' : 'ENOMSG'),
  detectsIncomplete: false,
};

/** Keeps answering precopy_info in STOP_COPY (as Jason's 2022 reading allowed). Caught by PrecopyInfoOnlyInPreCopy. */
export const brokenInfoInStopCopy: DriverProfile = {
  ...reference,
  name: 'broken-info-in-stop-copy',
  doc: 'answers VFIO_MIG_GET_PRECOPY_INFO in STOP_COPY too (against PRECOPY-2)',
  breaks: 'PrecopyInfoOnlyInPreCopy',
  precopyInfo(dev) {
    if (!inSavingGroup(dev.state)) return { ok: false, errno: 'EINVAL' };
    return { ok: true, initial: unreadInitial(dev), dirty: unread(dev, 'dirty') + trackedCount(dev), reinit: dev.optIn && dev.reinitPending };
  },
};

/**
 * Stops tracking changes once the device is P2P-quiesced: a unit the device changes in
 * PRE_COPY_P2P is neither sent as dirty data nor in the trailer. Caught by NoLostMandatoryData.
 */
export const brokenMissesP2pDirty: DriverProfile = {
  ...reference,
  name: 'broken-misses-p2p-dirty',
  doc: 'misses a unit the device changes while in PRE_COPY_P2P (against FSM-8, FSM-10)',
  breaks: 'NoLostMandatoryData',
  onDirty(dev, u) {
    if (dev.live && dev.state === 'PRE_COPY') capture(dev, 'dirty', u);
  },
};

/**
 * Counts the device's new data as initial data when it re-initialises, also without the
 * opt-in, so initial_bytes grows with no REINIT flag (the pre-2026 problem the REINIT series
 * fixed, wording-history point 9). Caught by InitialBytesNeverGrowWithoutReinit.
 */
export const brokenInitialGrows: DriverProfile = {
  ...reference,
  name: 'broken-initial-grows',
  doc: 'lets initial_bytes grow without reporting REINIT (against PRECOPY-5, REINIT-3)',
  breaks: 'InitialBytesNeverGrowWithoutReinit',
  reinit(dev) {
    discard(dev, 'dirty');
    captureImage(dev, 'initial');
  },
};

/**
 * Starts the asynchronous save on the arc into STOP_COPY (mlx5-like's onArc) but never
 * completes it (no saveDone): a reader waits for ever (against DATA-10). Not in the
 * `--driver` registry; the liveness specs use it (liveness-async-save, liveness-qemu).
 */
export const brokenSaveHangs: DriverProfile = {
  ...mlx5Like,
  name: 'broken-save-hangs',
  doc: 'mlx5-like whose asynchronous STOP_COPY save never completes (against DATA-10)',
  saveDone: undefined,
  breaks: 'AsyncSaveCompletes',
};
