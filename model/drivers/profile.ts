// What a driver profile is: the behaviour of a VFIO migration driver on the data path, as
// a few hooks over the source device (model/stream.ts) plus one fact about its destination
// side. The model does the rest: the kernel's walk over the next-step table, sessions and
// data_fds (SAVE-1..5), handing records to the user in order, ENODEV on an ended session
// (SAVE-4), and the history that properties and clauses speak about.
//
// A hook sees the device *before* the model changes `state` (onArc) or after it changed the
// unit (onDirty). Hooks that answer (readEmpty, precopyInfo, dataSize) must be pure: the
// model calls them again to label a trace step and to judge properties. Hooks that change
// the device (onArc, onDirty, afterPrecopyInfo, reinit, saveDone) must be deterministic and
// touch only the device they are given. Build a profile by spreading an existing one and
// overriding what differs:
//
//   const mine: DriverProfile = { ...reference, name: 'mine', readEmpty: (dev) => 'EOF' };

import type { MigState } from '../states.js';
import type { SourceDevice } from '../stream.js';

/** What read() returns on a live session when nothing is buffered. */
export type EmptyRead =
  /** -1 ENOMSG: temporary end of the pre-copy stream, more may come (PRECOPY-10, PRECOPY-11). */
  | 'ENOMSG'
  /** 0: end of stream; permanent in STOP_COPY (DATA-7). */
  | 'EOF'
  /** -1 EAGAIN: an asynchronous save has not produced its data yet (DATA-10; a blocking read waits). */
  | 'EAGAIN';

/** The answer of VFIO_MIG_GET_PRECOPY_INFO on a live saving fd. */
export type PrecopyInfoAnswer =
  | { readonly ok: true; readonly initial: number; readonly dirty: number; /** VFIO_PRECOPY_INFO_REINIT in `flags` (REINIT-1). */ readonly reinit: boolean }
  | { readonly ok: false; readonly errno: 'EINVAL' | 'ENOTTY' };

export interface DriverProfile {
  /** Registry name, e.g. `mlx5-like`; also the value of the DRIVER constant. */
  readonly name: string;
  /** One sentence: which real drivers behave like this, with fact IDs. */
  readonly doc: string;
  /** Migration flags besides STOP_COPY that the driver reports (FEAT-2, DRV-5, DRV-6). */
  readonly flags: readonly ('P2P' | 'PRE_COPY')[];
  /**
   * The data effects of one arc the driver executes (`dev.state` is still `from`). The model
   * has already opened the session (fresh buffers) on an arc that starts one, and emptied the
   * buffers on an arc that ends one. Typically: buffer the initial data on RUNNING->PRE_COPY
   * and RUNNING_P2P->PRE_COPY_P2P, the trailer and the end record on the arc into STOP_COPY.
   */
  readonly onArc: (dev: SourceDevice, from: MigState, to: MigState) => void;
  /** The device changed unit `u` (already at its new version) in a running state `dev.state` (FSM-1, FSM-9). */
  readonly onDirty: (dev: SourceDevice, u: number) => void;
  /** read() on a live session with nothing buffered (pure). */
  readonly readEmpty: (dev: Readonly<SourceDevice>) => EmptyRead;
  /** VFIO_MIG_GET_PRECOPY_INFO on a live saving fd (pure); PRECOPY-2 asks for EINVAL outside PRE_COPY states. */
  readonly precopyInfo: (dev: Readonly<SourceDevice>) => PrecopyInfoAnswer;
  /** Side effect of a successful precopy_info, e.g. new data created only from inside the ioctl (PRECOPY-15). */
  readonly afterPrecopyInfo?: (dev: SourceDevice) => void;
  /**
   * The device re-initialises its migration data in a PRE_COPY state (REINIT-5). Absent: it
   * never does. The model then marks the event (`reinitPending`) for precopy_info to report.
   */
  readonly reinit?: (dev: SourceDevice) => void;
  /** An asynchronous STOP_COPY save completes (`dev.pending` was set by onArc; DATA-10). */
  readonly saveDone?: (dev: SourceDevice) => void;
  /** VFIO_DEVICE_FEATURE_MIG_DATA_SIZE: the estimated STOP_COPY length in records, in any state (SIZE-1, SIZE-2). */
  readonly dataSize: (dev: Readonly<SourceDevice>) => number;
  /** The destination side fails RESUMING->STOP when the stream lacks its end record (DATA-5). */
  readonly detectsIncomplete: boolean;
  /** For a deliberately broken profile: the property it is meant to break. */
  readonly breaks?: string;
}

/** Checks a profile supplied by a user of migcheck; returns what is wrong, or null. */
export function profileProblem(d: unknown): string | null {
  if (typeof d !== 'object' || d === null) return 'a driver profile must be an object';
  const p = d as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name === '') return 'a driver profile needs a name';
  if (!Array.isArray(p.flags) || p.flags.some((f) => f !== 'P2P' && f !== 'PRE_COPY'))
    return `driver ${p.name}: flags must list 'P2P' and/or 'PRE_COPY'`;
  for (const k of ['onArc', 'onDirty', 'readEmpty', 'precopyInfo', 'dataSize'])
    if (typeof p[k] !== 'function') return `driver ${p.name}: '${k}' must be a function`;
  for (const k of ['afterPrecopyInfo', 'reinit', 'saveDone'])
    if (p[k] !== undefined && typeof p[k] !== 'function') return `driver ${p.name}: '${k}' must be a function when given`;
  if (typeof p.detectsIncomplete !== 'boolean') return `driver ${p.name}: 'detectsIncomplete' must be true or false`;
  return null;
}
