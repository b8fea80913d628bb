// The uAPI calls a user (VMM) makes during a migration, on the whole migration state:
// SET_STATE on either device (walked arc by arc through the kernel's next-step table,
// model/kernel/fsm.ts), read() on the source's data_fd, VFIO_MIG_GET_PRECOPY_INFO, the
// MIG_PRECOPY_INFOv2 opt-in, write() on the destination's data_fd, close() and RESET. User
// models (model/users/) are built from these; each returns what the call returned, and a
// label function renders it as a line of an ioctl log.
//
// The migration stream between the two devices is the `link`: the record the user has read
// from the source and not yet written to the destination (the user's buffer, one record),
// and the bookkeeping of the user obligations the uAPI states: the stream written during
// RESUMING is exactly one saving session's output, in order (SET-6, DATA-2), and the user
// reads until end of stream in STOP_COPY before it declares the migration done (DATA-7,
// DATA-9). A user that breaks an obligation is not stopped; the end-to-end property just
// does not judge a migration it did not complete.
//
// The user's fd table for the source (`fds`, MAX_FDS slots) exists when a user holds more than
// the newest fd: the control user (model/users/control.ts) drives the source alone, asks for
// any state (RESUMING and ERROR included), keeps old fds open after their session ended
// (SAVE-4) and closes them. Data-path users keep one fd per device (`src.held`) and have no
// slots. `lastSet` records how the source's last SET went, for the properties of the SET
// (migration.ts); it is outside the view.

import { t, type BoolType, type EnumType, type Infer, type IntType, type RecordType } from '../../checker/index.js';
import { STATES, stateNumber, inPreCopy, isRunning, type FeatureSet, type MigState } from '../states.js';
import {
  driveSet, walk, planned, arcIndex, arcEnds, hangText,
  type FsmTable, type SetReturn, type StepFunction, type WalkFunction, type WalkOutcome, type PlannedWalk, type Arc, type ArcResult, type SetRequest, type SessionKind,
} from '../kernel/fsm.js';
import type { KernelProfile } from '../kernel/profile.js';
import { NONE, RECORD_KINDS, showRecord, sourceSchema, unitType, type RecordKind, type StreamBounds, type StreamRecord } from './stream.js';
import {
  sourceArc, resetSource, failedArc, readResult, applyRead, precopyInfoResult, applyPrecopyInfo, sourceFd, showRead, showInfo,
  type ReadResult, type InfoResult,
} from './source.js';
import {
  destinationArc, resetDestination, writeResult, applyWrite, streamAccepted, destinationFd, destinationSchema,
  type WriteResult,
} from './destination.js';
import type { DriverProfile, ResumeCheck } from '../drivers/profile.js';

export const LINK_KINDS = ['none', ...RECORD_KINDS] as const;

/**
 * The stream between the devices and the user's obligations about it. With `symmetric` (the
 * SYMMETRY option) its unit is a value of the unit type or NONE, and NONE whenever the buffer
 * holds no unit's record, so that a permutation of units moves exactly the unit a record
 * names (without it, header, end and an empty buffer say unit 0, which a permutation would
 * turn into another unit).
 */
export function linkSchema(b: StreamBounds, symmetric = false) {
  return t.record({
    /** The record in the user's buffer: read from the source, not yet written to the destination. */
    kind: t.enum(LINK_KINDS),
    unit: t.int(symmetric ? NONE : 0, b.units - 1, { of: unitType(b) }),
    version: t.int(0, b.maxVersion),
    /** A record of the source's current session has reached a destination. */
    forwarded: t.bool(),
    /** The destination's current resuming session has received a record. */
    written: t.bool(),
    /** Everything that session received is the source's current session's output from its first record (DATA-2). */
    paired: t.bool(),
    /** The user finished reading the source's current session in STOP_COPY (it saw the end, DATA-7) and the source has not run since. */
    drained: t.bool(),
  });
}

/** The link (see linkSchema, its one declaration). */
export type Link = Infer<ReturnType<typeof linkSchema>>;

export const initialLink = (): Link => ({ kind: 'none', unit: 0, version: 0, forwarded: false, written: false, paired: false, drained: false });

/** fds 0..2 are the process's standard streams; the kernel hands out the lowest free number. */
export const FIRST_FD = 3;

/** The longest walk: every state once, plus the repeated state of a cycle. */
export const PATH_SLOTS = STATES.length + 1;

/** What is behind an fd slot: nothing, a live session of a kind, or a session that ended (SAVE-4). */
export const FILE_STATES = ['NONE', 'SAVE', 'RESUME', 'ENDED'] as const;
export type FileState = (typeof FILE_STATES)[number];

/** One slot of the user's fd table for the source: fd number FIRST_FD + its index. */
export const fdSlotSchema = t.record({
  /** The user holds this fd. */
  held: t.bool(),
  /** The migration file behind it; a live file may have no fd when the user closed it (the driver keeps the session until an ending arc). */
  file: t.enum(FILE_STATES),
});

/** An fd slot (see fdSlotSchema, its one declaration). */
export type FdSlot = Infer<typeof fdSlotSchema>;

/** How a SET returned: 0, -1 EINVAL, -1 EIO (any driver errno), or never (its walk cycles). */
export const SET_RETURNS = ['OK', 'EINVAL', 'EIO', 'HANG'] as const;

/** How the source's last SET went: what the properties of a SET judge besides the states before and after. */
export function lastSetSchema(maxFds: number) {
  return t.record({
    /** The state it asked for. */
    target: t.enum(STATES),
    ret: t.enum(SET_RETURNS),
    /** The fd slot whose fd came back in data_fd (without fd slots: 0, the source's one fd), or -1. */
    fd: t.int(-1, Math.max(0, maxFds - 1)),
    /** Arcs executed. */
    done: t.int(0, PATH_SLOTS),
    /** Index of the first arc that opened a session, or -1. */
    openedAt: t.int(-1, PATH_SLOTS),
    /** A failure moved the device to ERROR (ERR-2). */
    toError: t.bool(),
  });
}

/** The last SET's report in the state (see lastSetSchema, its one declaration). */
export type LastSet = Infer<ReturnType<typeof lastSetSchema>>;

export const initialLastSet = (): LastSet => ({ target: 'RUNNING', ret: 'OK', fd: -1, done: 0, openedAt: -1, toError: false });

/** The fd number of a slot. */
export const fdName = (slot: number): number => FIRST_FD + slot;

/** A live session is behind the file (SAVE or RESUME). */
export const isLiveFile = (f: FileState): boolean => f === 'SAVE' || f === 'RESUME';

/** The kind of the source's live session: from the fd slots when there are any, else the data path's saving session. */
export function liveSession(s: Readonly<MigrationState>): SessionKind | null {
  for (const f of s.fds) if (f.file === 'SAVE') return 'save';
  for (const f of s.fds) if (f.file === 'RESUME') return 'resume';
  return s.fds.length === 0 && s.src.live ? 'save' : null;
}

/** Ends every live session in the fd slots: a held fd stays open but dead (SAVE-4); an unheld file goes away. */
export function endSlots(fds: FdSlot[]): void {
  for (const f of fds) if (isLiveFile(f.file)) f.file = f.held ? 'ENDED' : 'NONE';
}

/** `src.held` as the fd slots say: the user holds an fd of a saving session, live or ended (the data path's reading of it). */
function syncHeld(s: MigrationState): void {
  s.src.held = s.fds.some((f) => f.held && (f.file === 'SAVE' || f.file === 'ENDED'));
}

/**
 * The schema of a user model's own variables (UserModel.state): a record of enums, ints and
 * booleans, so that every user's variables have one type in the migration state.
 */
export type UserVariables = RecordType<Record<string, EnumType<string> | IntType | BoolType>>;

/**
 * The whole migration: source, destination, the stream between them, the user's own
 * variables (`user`, as the user model's `state` declares them), and the control user's fd
 * slots. The field order is the packed layout.
 */
export function migrationSchema(cfg: Pick<MigrationConfig, 'bounds' | 'driver' | 'symmetric' | 'maxFds' | 'history'>, user: UserVariables) {
  return t.record({
    src: sourceSchema(cfg.bounds, cfg.driver, cfg.history),
    dst: destinationSchema(cfg.bounds),
    link: linkSchema(cfg.bounds, cfg.symmetric),
    user,
    /** A SET never returned: the kernel's next-step loop spins (KERN-1); nothing happens after that. */
    hung: t.bool(),
    /** The user's fd slots for the source (MAX_FDS of them; none for data-path users, who keep the newest fd, `src.held`). */
    fds: t.array(fdSlotSchema, cfg.maxFds),
    /** How the source's last SET went (outside the view: it never splits states). */
    lastSet: lastSetSchema(cfg.maxFds),
  });
}

/** The state of a migration model (see migrationSchema, its one declaration). */
export type MigrationState = Infer<ReturnType<typeof migrationSchema>>;

/** A migration model's fixed configuration, as user models and properties see it. */
export interface MigrationConfig {
  readonly driver: DriverProfile;
  /** The flags the source and destination report: the driver's flags within FEATURES. */
  readonly features: FeatureSet;
  readonly bounds: StreamBounds;
  /** The destination rejects an incomplete stream (DATA-5). */
  readonly detectsIncomplete: boolean;
  /** What RESUMING->STOP checks when the driver profile says so (`resumeCheck`); absent: `end` or `nothing` by `detectsIncomplete`. */
  readonly resumeCheck?: ResumeCheck;
  /** The device may re-initialise its migration data (REINIT-5), for drivers that can. */
  readonly reinit: boolean;
  /** QEMU's switchover-ack capability (QEMU-5), for users that model it. */
  readonly switchoverAck: boolean;
  /** Keep the source's history fields (records read per phase, last precopy_info answer, …). */
  readonly history: boolean;
  /**
   * The SYMMETRY option: units are interchangeable (the model declares `symmetry` over them)
   * and the link names no unit when its record is not a unit's; read() then goes by data
   * (`readOrder`). Absent: false.
   */
  readonly symmetric?: boolean;
  /** The order of units within a kind in read(): `index` (absent: index) or `data` (`unitOrder`). */
  readonly readOrder?: 'index' | 'data';
  readonly table: FsmTable;
  /** The kernel around the driver: its next-step function and table, its features (model/kernel/). */
  readonly kernel: KernelProfile;
  /** The next-step function walked: the kernel's unless the spec supplies another. */
  readonly step: StepFunction;
  /** The user's fd slots for the source (MAX_FDS; 0: none, the user keeps the newest fd). */
  readonly maxFds: number;
  /** ARC_FAILURES: the user's SET may name an arc that fails (SET-3, COMB-5), for users that take the parameter. */
  readonly arcFailures: boolean;
  /** FAIL_TO_ERROR: such a failure may also move the device to ERROR (ERR-2). */
  readonly failToError: boolean;
  /** The states the user may ask of each device: the source never resumes, the destination never saves. */
  readonly srcTargets: readonly MigState[];
  readonly dstTargets: readonly MigState[];
  /** The kernel's walk from cur to target (cached). */
  readonly plan: (cur: MigState, target: MigState) => PlannedWalk;
}

/**
 * Caches `walk` for one table, feature set and next-step function (the kernel's): one
 * planned walk per (cur, target), in a table indexed by the kernel's state numbers
 * (enum vfio_device_mig_state), each walked on first use.
 */
export function planner(table: FsmTable, features: FeatureSet, step: StepFunction, walkFn: WalkFunction = walk): (cur: MigState, target: MigState) => PlannedWalk {
  const cache: (PlannedWalk | undefined)[] = new Array(STATES.length * STATES.length).fill(undefined);
  return (cur, target) => {
    const k = stateNumber(cur) * STATES.length + stateNumber(target);
    return cache[k] ?? (cache[k] = planned(walkFn(table, features, cur, target, step)));
  };
}

// ---------------------------------------------------------------------------------------
// SET_STATE

/** How a SET went. */
export interface SetReport {
  readonly ret: SetReturn;
  /** The data_fd that came back, or null (-1). */
  readonly fd: number | null;
  /** Where the device is when the call returns. */
  readonly reached: MigState;
  /** The arc that failed (EIO). */
  readonly failed?: Arc;
  /** The destination's RESUMING->STOP loaded the stream (DATA-4): what it loaded, and the source's units then. */
  readonly loaded?: { readonly dst: readonly number[]; readonly src: readonly number[] };
  /** The walk the SET followed (for a SET that never returns, the cycle). */
  readonly plan?: WalkOutcome;
  /** Index of the arc whose fd came back (-1: none), and of every arc that opened a session (labels name them). */
  readonly fdArc?: number;
  readonly openedAt?: readonly number[];
  /** With fd slots: a session opened and no slot was free (the SET is a step the model does not take, a bound of the model). */
  readonly noSlot?: boolean;
}

/** A failure the model injects (ARC_FAILURES): arc `at` of the walk fails, with no partial effect; `toError` moves the device to ERROR (FAIL_TO_ERROR, ERR-2). */
export interface InjectedFailure {
  readonly at: number;
  readonly toError: boolean;
}

function clearLink(l: Link): void {
  l.kind = 'none';
  l.unit = 0;
  l.version = 0;
}

/**
 * What a SET on one device hands driveSet: one object per device, reused from SET to SET, so
 * that a SET builds no request and no closure. SETs never nest (no arc calls another SET),
 * and every field is set again before each use.
 */
abstract class ArcRequest implements SetRequest {
  table!: FsmTable;
  features!: FeatureSet;
  cur!: MigState;
  target!: MigState;
  step!: StepFunction;
  plan!: PlannedWalk;
  failAt = -1;
  guardIntermediateFd = true;
  /** The migration the SET acts on, and its configuration. */
  s!: MigrationState;
  cfg!: MigrationConfig;

  /** Sets the request up for SET_STATE(target) of a device now in `cur`. */
  prepare(s: MigrationState, cfg: MigrationConfig, cur: MigState, target: MigState, plan: PlannedWalk, failAt: number): this {
    this.s = s;
    this.cfg = cfg;
    this.table = cfg.table;
    this.features = cfg.features;
    this.cur = cur;
    this.target = target;
    this.step = cfg.step;
    this.plan = plan;
    this.failAt = failAt;
    this.guardIntermediateFd = cfg.driver.guardIntermediateFd ?? true;
    return this;
  }

  abstract onArc(from: MigState, to: MigState, index: number): ArcResult;
}

/** The source's arcs: the driver's session and data effects, the fd slots, and the link's bookkeeping when a session opens. */
class SourceArcs extends ArcRequest {
  /** The fd slot each arc's new session took (fd slots only). */
  readonly opened: number[] = [];
  noSlot = false;

  onArc(from: MigState, to: MigState, index: number): ArcResult {
    const { s, cfg } = this;
    const sessions = cfg.driver.arcSessions;
    const r = sourceArc(s.src, from, to, cfg.driver, cfg.history, sessions ? sessions(from, to, liveSession(s), this.target) : this.plan.effects[index]);
    if (s.fds.length > 0) {
      if (r.ends) endSlots(s.fds);
      if (r.opens) {
        const slot = s.fds.findIndex((f) => !f.held && f.file === 'NONE');
        if (slot < 0) this.noSlot = true;
        else {
          s.fds[slot].file = r.opens === 'save' ? 'SAVE' : 'RESUME';
          this.opened[index] = slot;
        }
      }
    }
    if (r.opens) {
      // A new session: what the user still buffers belongs to the old one (DATA-2).
      clearLink(s.link);
      s.link.forwarded = false;
      s.link.paired = false;
      s.link.drained = false;
    }
    if (isRunning(to)) s.link.drained = false;
    return r;
  }
}

/** The destination's arcs: its session and units, and what RESUMING->STOP loaded. */
class DestinationArcs extends ArcRequest {
  loaded: SetReport['loaded'];

  onArc(from: MigState, to: MigState, index: number): ArcResult {
    const s = this.s;
    const dev = s.dst;
    const r = destinationArc(dev, from, to, this.plan.effects[index]);
    if (from === 'RESUMING') this.loaded = { dst: [...dev.units], src: [...s.src.units] };
    if (r.opens) {
      s.link.written = false;
      s.link.paired = false;
    }
    return r;
  }
}

const SOURCE_ARCS = new SourceArcs();
const DESTINATION_ARCS = new DestinationArcs();

/**
 * SET_STATE(target) on the source: the driver walks the table, each arc with its session and
 * data effects. An arc fails when the model injects a failure there (`inject`, ARC_FAILURES)
 * or the driver's `failArc` says so; the device then stays where the driver's `failState`
 * puts it (by default where the walk got to, SET-3, COMB-5), or goes to ERROR (ERR-2).
 */
export function srcSet(s: MigrationState, target: MigState, cfg: MigrationConfig, inject?: InjectedFailure): SetReport {
  const dev = s.src;
  const plan = cfg.plan(dev.state, target);
  // The failing arc, if any: the injected one, else the driver's, judged on the device as the SET found it.
  let failAt = -1;
  let endsOnFailure = false;
  const failArc = cfg.driver.failArc;
  if (inject && inject.at >= 0) failAt = inject.at;
  else if (failArc) {
    for (let i = 0; i < plan.ends.length; i++) {
      const e = plan.ends[i];
      const f = failArc(dev, e[0], e[1]);
      if (f) {
        failAt = i;
        endsOnFailure = f.endsSession;
        break;
      }
    }
  }
  const req = SOURCE_ARCS.prepare(s, cfg, dev.state, target, plan, failAt);
  const slots = s.fds.length > 0;
  if (slots) {
    req.opened.length = 0;
    req.noSlot = false;
  }
  const out = driveSet(req);
  if (out.ret === 'HANG') s.hung = true;
  let toError = false;
  let slot = -1;
  if (out.ret === 'EIO') {
    failedArc(dev, endsOnFailure);
    if (endsOnFailure && slots) endSlots(s.fds);
    s.link.drained = false;
    if (cfg.driver.failState) dev.state = cfg.driver.failState(out.reached, plan.arcs[failAt]);
    if (inject?.toError) {
      dev.state = 'ERROR';
      toError = true;
    }
  } else if (out.fdFromArc >= 0) slot = slots ? req.opened[out.fdFromArc] : 0;
  // The driver dropped the new session's fd (COMB-4 guard): the user holds none of it.
  else if (!slots && out.ret === 'EINVAL' && out.openedAt.length > 0) dev.held = false;
  if (slots) {
    if (slot >= 0) s.fds[slot].held = true;
    syncHeld(s);
  }
  // Written field by field: the state's own record (a scratch's is closed and packs fastest), no new object per SET.
  const last = s.lastSet;
  last.target = target;
  last.ret = out.ret;
  last.fd = slot;
  last.done = out.done;
  last.openedAt = out.openedAt.length > 0 ? out.openedAt[0] : -1;
  last.toError = toError;
  const report: SetReport = out.ret === 'EIO'
    ? { ret: out.ret, fd: null, failed: plan.arcs[failAt], reached: dev.state, plan, fdArc: out.fdFromArc, openedAt: out.openedAt }
    : { ret: out.ret, fd: slot < 0 ? null : slots ? fdName(slot) : sourceFd(dev), reached: dev.state, plan, fdArc: out.fdFromArc, openedAt: out.openedAt };
  return slots && req.noSlot ? { ...report, noSlot: true } : report;
}

/** SET_STATE(target) on the destination; RESUMING->STOP validates what was written (DATA-5). */
export function dstSet(s: MigrationState, target: MigState, cfg: MigrationConfig): SetReport {
  const dev = s.dst;
  const plan = cfg.plan(dev.state, target);
  const bad = arcIndex(plan, 'RESUMING', 'STOP');
  const failAt = bad >= 0 && !streamAccepted(dev, cfg.resumeCheck ?? cfg.detectsIncomplete) ? bad : -1;
  const req = DESTINATION_ARCS.prepare(s, cfg, dev.state, target, plan, failAt);
  req.loaded = undefined;
  const out = driveSet(req);
  const loaded = req.loaded;
  dev.state = out.reached;
  if (out.ret === 'HANG') s.hung = true;
  return { ret: out.ret, fd: out.fdFromArc >= 0 ? destinationFd(dev) : null, reached: out.reached, failed: out.ret === 'EIO' ? plan.arcs[failAt] : undefined, loaded, plan };
}

/** `[v1 v0]`; `-` for a unit that holds nothing. */
export const showUnits = (units: readonly number[]): string => `[${units.map((v) => (v < 0 ? '-' : `v${v}`)).join(' ')}]`;

/** `SET_STATE(PRE_COPY) = 0, data_fd=3`, `SET_STATE(STOP) = -1 EIO (…)`. */
export function showSet(target: MigState, r: SetReport): string {
  const call = `SET_STATE(${target})`;
  switch (r.ret) {
    case 'OK': return `${call} = 0${r.fd !== null ? `, data_fd=${r.fd}` : ''}${r.loaded ? ` (RESUMING->STOP loaded ${showUnits(r.loaded.dst)}; the source has ${showUnits(r.loaded.src)})` : ''}`;
    case 'EINVAL': return `${call} = -1 EINVAL`;
    case 'EIO': {
      const [from, to] = r.failed ? arcEnds(r.failed) : [r.reached, target];
      const why = from === 'RESUMING' && to === 'STOP' ? 'the stream is incomplete' : 'the arc failed';
      return `${call} = -1 EIO (${from}->${to}: ${why}; device stays in ${r.reached})`;
    }
    case 'HANG': return `${call} never returns${r.plan ? `: ${hangText(r.plan)}` : ''}`;
  }
}

// ---------------------------------------------------------------------------------------
// The source's data_fd

/** Whether the link's record carries a unit (not the header, the end or nothing). */
export const linkNamesUnit = (l: Readonly<Link>): boolean => l.kind === 'initial' || l.kind === 'dirty' || l.kind === 'final';

/**
 * Under SYMMETRY: the units in the order read() sends the pending records of a kind, by
 * their data rather than their number. A unit's data is everything the state holds about
 * it: its version, its unread initial, dirty and final records, its dirty-tracker bit, what
 * the destination loaded of it (while RESUMING; outside it the view blanks the destination),
 * and whether the user's buffer holds its record. Units with the same data are swapped by a
 * permutation that leaves the state as it is, so which of them goes first gives successors in
 * one orbit; ties go to the lower number. Drivers choose what they send when (PRECOPY-9):
 * this is one more order a driver may use, as index order is. See
 * docs/decisions/symmetry-of-units.md.
 */
export function unitOrder(s: Readonly<MigrationState>, b: StreamBounds): number[] {
  const src = s.src;
  const n = src.units.length;
  const resuming = s.dst.state === 'RESUMING';
  const linked = linkNamesUnit(s.link) ? s.link.unit : NONE;
  // One number per unit, its data in mixed radix (a version or NONE, shifted to 0..R-1), so
  // that comparing keys compares the data field by field; ties keep the lower number first.
  const R = b.maxVersion + 2;
  const keys: number[] = [];
  const order: number[] = [];
  for (let u = 0; u < n; u++) {
    let k = src.units[u];
    k = k * R + src.initial[u] + 1;
    k = k * R + src.dirty[u] + 1;
    k = k * R + src.final[u] + 1;
    k = k * 2 + (src.tracked[u] ? 1 : 0);
    k = k * R + (resuming ? s.dst.units[u] : NONE) + 1;
    k = k * 2 + (linked === u ? 1 : 0);
    keys.push(k);
    // Insertion into the sorted prefix (at most four units).
    let j = u;
    order.push(u);
    while (j > 0 && keys[order[j - 1]] > k) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = u;
  }
  return order;
}

const readOrder = (s: Readonly<MigrationState>, cfg: MigrationConfig): number[] | undefined => (cfg.readOrder === 'data' ? unitOrder(s, cfg.bounds) : undefined);

/** read() on the source's data_fd into the user's (empty) buffer. */
export function srcRead(s: MigrationState, cfg: MigrationConfig): ReadResult {
  const r = readResult(s.src, cfg.driver, readOrder(s, cfg));
  applyRead(s.src, r, cfg.driver, cfg.bounds, cfg.history);
  if (r.kind === 'data') {
    s.link.kind = r.record.kind;
    s.link.unit = r.record.unit;
    s.link.version = r.record.version;
  }
  return r;
}

export const srcReadResult = (s: Readonly<MigrationState>, cfg: MigrationConfig): ReadResult => readResult(s.src, cfg.driver, readOrder(s, cfg));

/** `read(3) = [initial unit 0 v0]`, `read(3) = -1 ENOMSG`. */
export const showSrcRead = (s: Readonly<MigrationState>, r: ReadResult): string => `read(${sourceFd(s.src)}) = ${showRead(r, showRecord)}`;

/** The `flags` a caller passes in to VFIO_MIG_GET_PRECOPY_INFO: 0, or the REINIT bit (garbage a user left there, or a copy of an earlier answer). */
export type PrecopyInFlags = 0 | 'REINIT';

/** Whether the answer's `flags` carries the caller's REINIT bit back (a kernel that echoes input, PRECOPY-14). */
const echoes = (cfg: MigrationConfig, inFlags: PrecopyInFlags): boolean => inFlags === 'REINIT' && cfg.kernel.precopyInfoFlags === 'echo-input';

/** VFIO_MIG_GET_PRECOPY_INFO on the source's data_fd, with the caller's input `flags` (default 0). */
export function srcPrecopyInfo(s: MigrationState, cfg: MigrationConfig, inFlags: PrecopyInFlags = 0): InfoResult {
  const a = precopyInfoResult(s.src, cfg.driver, echoes(cfg, inFlags));
  applyPrecopyInfo(s.src, a, cfg.driver, cfg.history);
  return a;
}

export const srcPrecopyInfoResult = (s: Readonly<MigrationState>, cfg: MigrationConfig, inFlags: PrecopyInFlags = 0): InfoResult =>
  precopyInfoResult(s.src, cfg.driver, echoes(cfg, inFlags));

/** The input flags of a precopy_info step: its parameter when the user model gives one ('REINIT'), else 0. */
export const inFlagsOf = (step: { readonly param: unknown }): PrecopyInFlags => (step.param === 'REINIT' ? 'REINIT' : 0);

export const showSrcPrecopyInfo = (s: Readonly<MigrationState>, a: InfoResult): string => `PRECOPY_INFO(${sourceFd(s.src)}) = ${showInfo(a)}`;

/**
 * VFIO_DEVICE_FEATURE SET MIG_PRECOPY_INFOv2: the opt-in; EINVAL without PRE_COPY (REINIT-4);
 * ENOTTY on a kernel before the feature existed (an unknown feature number reaches the
 * driver's device_feature, which answers ENOTTY; kernel profile `precopyInfoV2`).
 */
export function srcOptIn(s: MigrationState, cfg: MigrationConfig): 0 | 'EINVAL' | 'ENOTTY' {
  if (!cfg.kernel.precopyInfoV2) return 'ENOTTY';
  if (!cfg.features.includes('PRE_COPY')) return 'EINVAL';
  s.src.optIn = true;
  return 0;
}

/** VFIO_DEVICE_FEATURE GET MIG_DATA_SIZE: the driver's estimate, in any state (SIZE-2). */
export const srcDataSize = (s: Readonly<MigrationState>, cfg: MigrationConfig): number => cfg.driver.dataSize(s.src);

export function srcClose(s: MigrationState): void {
  s.src.held = false;
}

/** VFIO_DEVICE_RESET on the source: by default RUNNING, the session ended (the driver's `reset` hook); the migration is abandoned. */
export function srcReset(s: MigrationState, cfg: MigrationConfig): void {
  const e = resetSource(s.src, cfg.driver);
  s.link.drained = false;
  if (s.fds.length > 0) {
    if (e.endsSession) endSlots(s.fds);
    syncHeld(s);
  }
}

/** close() of the fd in a slot: a live session lives on in the driver until its ending arc. */
export function srcCloseSlot(s: MigrationState, slot: number): void {
  const f = s.fds[slot];
  f.held = false;
  if (!isLiveFile(f.file)) f.file = 'NONE';
  syncHeld(s);
}

// ---------------------------------------------------------------------------------------
// The destination's data_fd

/** Whether the user may write its buffered record now without breaking DATA-2: the destination has received nothing yet and nothing of this source session went elsewhere, or it is receiving this session already. */
export function mayForward(l: Readonly<Link>): boolean {
  return l.kind !== 'none' && (l.paired || (!l.written && !l.forwarded));
}

export const bufferedRecord = (l: Readonly<Link>): StreamRecord => ({ kind: l.kind as RecordKind, unit: l.unit, version: l.version });

/** write() of the buffered record on the destination's data_fd. */
export function dstWrite(s: MigrationState): WriteResult {
  const w = writeResult(s.dst);
  if (w === 'ok') {
    applyWrite(s.dst, bufferedRecord(s.link));
    if (!s.link.written && !s.link.forwarded) s.link.paired = true;
    s.link.written = true;
    s.link.forwarded = true;
    clearLink(s.link);
  }
  return w;
}

export const showDstWrite = (s: Readonly<MigrationState>, w: WriteResult): string =>
  `write(${destinationFd(s.dst)}, ${showRecord(bufferedRecord(s.link))}) = ${w === 'ok' ? 'ok' : `-1 ${w}`}`;

export function dstClose(s: MigrationState): void {
  s.dst.held = false;
}

export function dstReset(s: MigrationState): void {
  resetDestination(s.dst);
}

/** Whether a SET step moved the destination out of RESUMING, which it does only through a successful RESUMING->STOP. */
export const loadedStream = (b: Readonly<MigrationState>, a: Readonly<MigrationState>): boolean =>
  b.dst.state === 'RESUMING' && a.dst.state !== 'RESUMING' && a.dst.state !== 'ERROR';

/** The user did what the uAPI asks before it declares the migration done: read to the end, forwarded all of it, to a destination that got the whole session. */
export const userCompleted = (s: Readonly<MigrationState>): boolean => s.link.drained && s.link.paired && s.link.kind === 'none';

/** Runs a call on a copy of a state, to label a step with what the call returned. */
export function onCopy<R>(s: Readonly<MigrationState>, f: (c: MigrationState) => R): R {
  return f(structuredClone(s) as MigrationState);
}

