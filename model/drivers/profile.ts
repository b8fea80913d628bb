// What a driver profile is: the behaviour of a VFIO migration driver on the data path, as
// a few hooks over the source device (model/datapath/stream.ts) plus one fact about its destination
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
//
// Optional hooks for what real drivers do differently from the kernel's default behaviour
// (each absent hook means the default, written next to it): `runsIn` (the running states the device really runs in), `reset` (the state a reset
// leaves and whether it ends the session), `staleRead` and `stalePrecopyInfo` (the answers
// on the fd of an ended session) with `onRead` (what a read of a live session leaves behind for them), `resumeCheck` (what the destination's RESUMING->STOP
// validates), `failArc` (an arc that fails after partial effects), `failState` (where a failed
// arc leaves the device), `arcSessions` (the session effects of an arc, for a driver that
// opens or ends sessions elsewhere than the kernel's rules say), `guardIntermediateFd` (whether
// the driver loop drops the fd of an intermediate arc), `event` (a step the
// driver or its firmware takes on its own), `asyncError` (the states in which the driver moves the device to ERROR on
// its own, ending its session) and `state` (the driver's own private variables, `dev.drv`, declared as schema
// fields: typed, shown in traces and checked by TypeOK like every other variable). Hooks
// return constants or plain data: none allocates a closure per step.

import { nearest } from '../../checker/names.js';
import { STATES, type MigState } from '../states.js';
import type { Arc, ArcResult, SessionKind } from '../kernel/fsm.js';
import type { SourceDevice } from '../datapath/stream.js';

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

/** A field of the driver's private state (`dev.drv[name]`): its type and its value when the device is opened. */
export type PrivateField =
  | { readonly type: 'bool'; readonly init: boolean; readonly doc: string }
  | { readonly type: 'int'; readonly min: number; readonly max: number; readonly init: number; readonly doc: string };

/** What VFIO_DEVICE_RESET does to the driver's migration state (ERR-4, ERR-6). */
export interface ResetEffect {
  /** The device_state the driver caches afterwards: RUNNING (ERR-4), another state (a broken driver), or `keep` for a driver that does not update it. */
  readonly state: MigState | 'keep';
  /** Whether the reset ends the live session, saving or resuming (its fd then fails, SAVE-4, ERR-6). */
  readonly endsSession: boolean;
}

/**
 * The kernel's behaviour, every driver since v5.18 that handles reset: RUNNING, every session
 * ended (ERR-4, ERR-6). A reset that arrives while the state mutex is held (during a SET) is
 * deferred to the unlock (mlx5vf_state_mutex_unlock(), drivers/vfio/pci/mlx5/main.c;
 * virtio, xe, mtty alike); SETs are atomic steps in the model, so the deferred reset is the
 * reset step after the SET.
 */
export const KERNEL_RESET: ResetEffect = { state: 'RUNNING', endsSession: true };

/** What read() answers on the fd of an ended session (SAVE-4). */
export type StaleRead = 'ENODEV' | 'EINVAL' | 'EOF';

/** What VFIO_MIG_GET_PRECOPY_INFO answers on the fd of an ended session (ENOTTY: the save file has no ioctl at all, as pds's). */
export type StaleInfo = 'ENODEV' | 'EINVAL' | 'ENOTTY';

/** What the destination's RESUMING->STOP checks before it succeeds (DATA-4, DATA-5). */
export type ResumeCheck =
  /** Nothing: the images were loaded during write() (mlx5, virtio). */
  | 'nothing'
  /** The stream's end record arrived. */
  | 'end'
  /** Every unit of the device state arrived (a length check against the state's size). */
  | 'length'
  /**
   * Only the compatibility header, or the whole state: hisi_acc's vf_qm_load_data() returns 0
   * when exactly the match data arrived (it then loads nothing) and EINVAL when more than that
   * but less than the whole struct did. The destination model does not keep whether the
   * header arrived, so a stream with nothing at all is accepted too (the model accepts more
   * streams than the driver: no violation is hidden by it).
   */
  | 'header-or-whole';

export const RESUME_CHECKS: readonly ResumeCheck[] = ['nothing', 'end', 'length', 'header-or-whole'];

/** How an arc the driver executes fails: it returns an error (EIO) after doing part of its work. */
export interface ArcFailure {
  /** The session was ended before the error (its fd fails from then on, SAVE-4). */
  readonly endsSession: boolean;
}

/**
 * The driver moves the device to ERROR on its own (ERR-7), as pds_vfio_recovery()
 * (drivers/vfio/pci/pds/pci_drv.c, v6.9 on) does after its firmware recovered: in any of
 * `states`, between two calls of the user (the driver takes the state mutex), the driver ends
 * the live session (it puts its files: the fd stays the user's and answers as `staleRead` and
 * `stalePrecopyInfo` say) and caches ERROR, which only VFIO_DEVICE_RESET leaves (ERR-4). Data:
 * the model's device action DriverAsyncError applies it. It is not bounded: it may happen
 * again after each reset, but it only adds states in ERROR with no session, and nothing in
 * them grows (pds: 960 states instead of 768 for the adversarial user at the spec's bounds).
 */
export interface AsyncError {
  /** What happens, for the trace: `src: driver: <label>`. */
  readonly label: string;
  readonly doc: string;
  /** The states in which the driver may do it (ERROR itself is never one: the device is there already). */
  readonly states: readonly MigState[];
}

/** A step the driver or its firmware takes on its own, whenever `enabled` holds (a firmware error, a recovery). */
export interface DriverEvent {
  /** What happens, for the trace: `src: driver: <label>`. */
  readonly label: string;
  readonly doc: string;
  /** Pure. */
  readonly enabled: (dev: Readonly<SourceDevice>) => boolean;
  /** Deterministic; typically changes the driver's private state (`dev.drv`). */
  readonly apply: (dev: SourceDevice) => void;
}

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
  /**
   * An asynchronous save completes (DATA-10): `dev.pending` was set by onArc (the STOP_COPY
   * save) or by afterPrecopyInfo (a pre-copy SAVE issued from the ioctl, as mlx5 does); the
   * model clears `pending` afterwards. While it is pending, readEmpty should answer EAGAIN
   * (NoEnomsgWhileSaving).
   */
  readonly saveDone?: (dev: SourceDevice) => void;
  /** VFIO_DEVICE_FEATURE_MIG_DATA_SIZE: the estimated STOP_COPY length in records, in any state (SIZE-1, SIZE-2). */
  readonly dataSize: (dev: Readonly<SourceDevice>) => number;
  /** The destination side fails RESUMING->STOP when the stream lacks its end record (DATA-5). */
  readonly detectsIncomplete: boolean;
  /**
   * What RESUMING->STOP checks (DATA-5). Absent: `end` when `detectsIncomplete`, else
   * `nothing`. When given it overrides `detectsIncomplete` (the DETECT_INCOMPLETE constant
   * still forces either way).
   */
  readonly resumeCheck?: ResumeCheck;
  /** VFIO_DEVICE_RESET (pure: the model applies the effect). Absent: KERNEL_RESET. */
  readonly reset?: (dev: Readonly<SourceDevice>) => ResetEffect;
  /** read() on the fd of an ended session (pure). Absent: ENODEV, as mlx5, virtio, hisi_acc, qat, mtty and xe answer (SAVE-4). */
  readonly staleRead?: (dev: Readonly<SourceDevice>) => StaleRead;
  /**
   * read() on a live session returned a record (the file position moved on), after the model
   * took it from the buffers (deterministic; typically sets a private field). For a driver
   * whose later answers depend on what was read, e.g. pds's stale read (EINVAL once the
   * position is past the emptied file's size 0, 0 while it is not). Absent: nothing.
   */
  readonly onRead?: (dev: SourceDevice) => void;
  /**
   * VFIO_MIG_GET_PRECOPY_INFO on the fd of an ended session (pure). Absent: ENODEV. Real
   * drivers check the device state first (mlx5vf_precopy_ioctl(), and the core helper
   * vfio_check_precopy_ioctl() from the 2026 series): use `staleInfoStateFirst`.
   */
  readonly stalePrecopyInfo?: (dev: Readonly<SourceDevice>) => StaleInfo;
  /**
   * Whether the arc from->to fails (pure), judged on the device as the SET found it: the SET
   * returns EIO at that arc, the device stays in `from`, and the session ends first when the
   * failure says so. Absent: the source's arcs never fail.
   */
  readonly failArc?: (dev: Readonly<SourceDevice>, from: MigState, to: MigState) => ArcFailure | null;
  /**
   * Where a failed arc leaves the device (pure): `reached` is the state the walk got to before
   * the arc `failed`. Absent: `reached`, as every in-tree loop-based driver leaves it (SET-3,
   * COMB-5). The failure is the driver's own (`failArc`) or one the model injects (ARC_FAILURES);
   * with FAIL_TO_ERROR the model may then move the device to ERROR (ERR-2).
   */
  readonly failState?: (reached: MigState, failed: Arc) => MigState;
  /**
   * The session effects of one arc (pure), given the kind of the live session (`null`: none)
   * and the state the SET asked for. Absent: the kernel's rules (`sessionEffect`, SAVE-1,
   * SAVE-3): entering the saving group opens a saving session, entering RESUMING a resuming
   * one, leaving either ends it; a correct driver ignores `target`. A broken driver may open
   * its file early, e.g. on RUNNING->STOP when asked for STOP_COPY (against COMB-4).
   */
  readonly arcSessions?: (from: MigState, to: MigState, live: SessionKind | null, target: MigState) => ArcResult;
  /**
   * Whether the driver loop drops an fd an intermediate arc returned and answers EINVAL
   * (COMB-4). Absent: true, as the in-tree loops do (`WARN_ON(res && new_state != mig_state)`
   * in mlx5vf_pci_set_device_state(), drivers/vfio/pci/mlx5/main.c, v5.18, and its copies).
   */
  readonly guardIntermediateFd?: boolean;
  /**
   * Whether the device runs, and so may change its state, in a running state (pure). Absent:
   * in every running state, RUNNING_P2P and PRE_COPY_P2P included (FSM-1, FSM-8). qat
   * suspends the whole device on the arcs into the P2P states.
   */
  readonly runsIn?: (state: MigState) => boolean;
  /** The driver's own asynchronous step (the model's device action DriverEvent). Absent: none. */
  readonly event?: DriverEvent;
  /** The driver's own move to ERROR (the model's device action DriverAsyncError, ERR-7). Absent: the device reaches ERROR only through a failed SET (ERR-2). */
  readonly asyncError?: AsyncError;
  /** The driver's private variables (`dev.drv`), reset to `init` only when the device is opened (never by the model). */
  readonly state?: Readonly<Record<string, PrivateField>>;
  /** For a deliberately broken profile: the property it is meant to break. */
  readonly breaks?: string;
}

/** precopy_info on an ended session as the real drivers answer: EINVAL unless the device is in a PRE_COPY state, then ENODEV. */
export const staleInfoStateFirst = (dev: Readonly<SourceDevice>): StaleInfo =>
  dev.state === 'PRE_COPY' || dev.state === 'PRE_COPY_P2P' ? 'ENODEV' : 'EINVAL';

/** The check RESUMING->STOP makes for a profile (DATA-5). */
export const resumeCheckOf = (d: DriverProfile): ResumeCheck => d.resumeCheck ?? (d.detectsIncomplete ? 'end' : 'nothing');

/** The initial value of the driver's private state. */
export function initialPrivate(d: DriverProfile): SourceDevice['drv'] {
  const out: SourceDevice['drv'] = {};
  for (const [k, f] of Object.entries(d.state ?? {})) out[k] = f.init;
  return out;
}

/** Every key a profile may have. */
const PROFILE_KEYS = [
  'name', 'doc', 'flags', 'onArc', 'onDirty', 'readEmpty', 'precopyInfo', 'afterPrecopyInfo', 'reinit', 'saveDone', 'dataSize',
  'detectsIncomplete', 'resumeCheck', 'reset', 'staleRead', 'onRead', 'stalePrecopyInfo', 'failArc', 'failState', 'arcSessions', 'guardIntermediateFd',
  'runsIn', 'event', 'asyncError', 'state', 'breaks',
];

/** ` (did you mean x?)` for a key one or two edits from a known one. */
function nearKey(k: string): string {
  const best = nearest(k, PROFILE_KEYS, 2);
  return best !== undefined ? ` (did you mean ${best}?)` : '';
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
  for (const k of ['afterPrecopyInfo', 'reinit', 'saveDone', 'reset', 'staleRead', 'onRead', 'stalePrecopyInfo', 'failArc', 'failState', 'arcSessions', 'runsIn'])
    if (p[k] !== undefined && typeof p[k] !== 'function') return `driver ${p.name}: '${k}' must be a function when given`;
  if (p.guardIntermediateFd !== undefined && typeof p.guardIntermediateFd !== 'boolean') return `driver ${p.name}: 'guardIntermediateFd' must be true or false when given`;
  if (typeof p.detectsIncomplete !== 'boolean') return `driver ${p.name}: 'detectsIncomplete' must be true or false`;
  if (p.event !== undefined) {
    const e = p.event as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.enabled !== 'function' || typeof e.apply !== 'function' || typeof e.label !== 'string' || typeof e.doc !== 'string')
      return `driver ${p.name}: 'event' must be { label, doc, enabled(dev), apply(dev) }`;
  }
  if (p.asyncError !== undefined) {
    const e = p.asyncError as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.label !== 'string' || typeof e.doc !== 'string' || !Array.isArray(e.states))
      return `driver ${p.name}: 'asyncError' must be { label, doc, states }`;
    const bad = (e.states as unknown[]).find((x) => typeof x !== 'string' || x === 'ERROR' || !(STATES as readonly string[]).includes(x));
    if (bad !== undefined) return `driver ${p.name}: asyncError.states: ${JSON.stringify(bad)} is not a state the driver can leave for ERROR (one of ${STATES.filter((x) => x !== 'ERROR').join(', ')})`;
  }
  const unknown = Object.keys(p).find((k) => !PROFILE_KEYS.includes(k));
  if (unknown !== undefined) return `driver ${p.name}: unknown key '${unknown}'${nearKey(unknown)}; known keys: ${PROFILE_KEYS.join(', ')}`;
  if (p.resumeCheck !== undefined && !RESUME_CHECKS.includes(p.resumeCheck as ResumeCheck))
    return `driver ${p.name}: 'resumeCheck' must be one of ${RESUME_CHECKS.join(', ')}, got ${JSON.stringify(p.resumeCheck)}`;
  if (p.state !== undefined) {
    if (typeof p.state !== 'object' || p.state === null) return `driver ${p.name}: 'state' must map field names to { type, init, doc }`;
    for (const [k, f] of Object.entries(p.state as Record<string, Record<string, unknown>>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) return `driver ${p.name}: state field '${k}' is not an identifier`;
      if (f?.type === 'bool') {
        if (typeof f.init !== 'boolean') return `driver ${p.name}: state.${k}: a bool field needs init true or false`;
      } else if (f?.type === 'int') {
        const { min, max, init } = f as { min: unknown; max: unknown; init: unknown };
        if (!Number.isInteger(min) || !Number.isInteger(max) || (min as number) > (max as number))
          return `driver ${p.name}: state.${k}: an int field needs integers min <= max`;
        if (!Number.isInteger(init) || (init as number) < (min as number) || (init as number) > (max as number))
          return `driver ${p.name}: state.${k}: init must be an integer in ${min}..${max}`;
      } else return `driver ${p.name}: state.${k}: type must be 'bool' or 'int', got ${JSON.stringify(f?.type)}`;
      if (typeof f.doc !== 'string') return `driver ${p.name}: state.${k}: needs a doc string`;
    }
  }
  return null;
}
