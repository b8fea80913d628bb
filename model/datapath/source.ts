// The source device of a migration: its state, its internal state (units with versions),
// its saving sessions and the data its driver buffers for them (model/datapath/stream.ts).
//
// Modelled here, for every driver profile alike:
// - sessions: an arc that enters the saving group from outside opens a saving session with a
//   new data_fd (SAVE-1); arcs inside the group keep it (SAVE-2); leaving the group ends it
//   and the driver drops what it had buffered (SAVE-3); at most one session exists (SAVE-5);
//   reads and ioctls on an ended session's fd fail with ENODEV (SAVE-4); RESET ends it (ERR-6);
// - read(): the next buffered record; with nothing buffered, what the driver says (ENOMSG,
//   0 or EAGAIN);
// - VFIO_MIG_GET_PRECOPY_INFO: the driver's answer (ENODEV on an ended session), after which
//   the REINIT event counts as reported;
// - the device's own actions: it changes a unit only while running (FSM-1, FSM-2), it may
//   re-initialise its migration data in PRE_COPY states (REINIT-5), an asynchronous save may
//   complete (DATA-10);
// - with the HISTORY option, history for wording clauses: records read per phase, the last
//   precopy_info answer, the unread initial data at the switch to STOP_COPY, the trailer size
//   (kept until the next session starts). Without it they keep their initial values, and
//   the state space is much smaller.
//
// Abstracted: fd numbers (the user keeps one fd per device, the newest: always 3 here), the
// file's own life after close() (the driver keeps the session until an ending arc; the user
// just cannot read it any more), and everything the device does besides its migration data.

import { inPreCopy, isRunning, type MigState } from '../states.js';
import { sessionEffect, type ArcResult } from '../kernel/fsm.js';
import {
  NONE, maxRecords, unread, unreadInitial, nextRecord, popRecord, clearStream,
  type SourceDevice, type StreamBounds, type StreamRecord,
} from './stream.js';
import { KERNEL_RESET, initialPrivate, type DriverProfile, type PrecopyInfoAnswer, type ResetEffect } from '../drivers/profile.js';

/** A running device (stream.ts sourceSchema) with no session, every unit at version 0, the driver's private state at its initial values. */
export function initialSource(b: StreamBounds, driver?: DriverProfile): SourceDevice {
  const none = () => Array.from({ length: b.units }, () => NONE);
  return {
    state: 'RUNNING',
    units: Array.from({ length: b.units }, () => 0),
    live: false,
    held: false,
    header: false,
    initial: none(),
    dirty: none(),
    final: none(),
    end: false,
    tracked: Array.from({ length: b.units }, () => false),
    pending: false,
    optIn: false,
    reinitPending: false,
    reinited: false,
    changed: false,
    eof: false,
    readPre: 0,
    readStop: 0,
    infoInitial: NONE,
    infoDirty: NONE,
    switchInitial: NONE,
    trailer: 0,
    drv: driver ? initialPrivate(driver) : {},
  };
}

/**
 * The source's data_fd is always 3 (the destination's 4): the model keeps one fd per device,
 * the newest, as a user that closes an old fd before the next SET would (the kernel hands out
 * the lowest free number).
 */
export const sourceFd = (_dev?: unknown): number => 3;

function startSession(dev: SourceDevice): void {
  dev.live = true;
  dev.held = true;
  clearStream(dev);
  dev.reinitPending = false;
  dev.reinited = false;
  dev.changed = false;
  dev.eof = false;
  dev.readPre = 0;
  dev.readStop = 0;
  dev.infoInitial = NONE;
  dev.infoDirty = NONE;
  dev.switchInitial = NONE;
  dev.trailer = 0;
}

function endSession(dev: SourceDevice): void {
  dev.live = false;
  clearStream(dev);
  // What only matters within a session is forgotten with it, so that ended sessions merge.
  dev.reinitPending = false;
  dev.reinited = false;
  dev.changed = false;
  dev.eof = false;
}

const finalCount = (dev: SourceDevice): number => unread(dev, 'final');

/** Counts the trailer records a driver hook added, given the count before it ran. */
function countTrailer(dev: SourceDevice, before: number): void {
  const added = finalCount(dev) - before;
  if (added > 0) dev.trailer = Math.min(dev.units.length, dev.trailer + added);
}

/** Runs a driver hook, counting the trailer records it added (with history on). */
function withTrailer(dev: SourceDevice, history: boolean, f: () => void): void {
  if (!history) return f();
  const before = finalCount(dev);
  f();
  countTrailer(dev, before);
}

/** What one arc does to the source: session bookkeeping, history, then the driver's data effects. */
export function sourceArc(
  dev: SourceDevice, from: MigState, to: MigState, driver: DriverProfile, history: boolean,
  effect: ArcResult = sessionEffect(from, to),
): ArcResult {
  const { opens, ends } = effect;
  if (ends) endSession(dev);
  // A resuming session (a device used both ways, as the control user uses it) has no saving stream.
  if (opens === 'save') startSession(dev);
  if (history && to === 'STOP_COPY' && inPreCopy(from)) dev.switchInitial = unreadInitial(dev);
  // withTrailer, written out: an arc is the hot path, and needs no closure.
  const before = history ? finalCount(dev) : 0;
  driver.onArc(dev, from, to);
  if (history) countTrailer(dev, before);
  dev.state = to;
  return effect;
}

/** A failed arc's partial effect (the driver's `failArc`): the session ends before the error. */
export function failedArc(dev: SourceDevice, endsSession: boolean): void {
  if (endsSession && dev.live) endSession(dev);
}

/**
 * VFIO_DEVICE_RESET: what the driver's `reset` hook says, by default the kernel's: RUNNING,
 * the session ended (ERR-4, ERR-6). Returns the effect, for the fd slots (migration.ts).
 */
export function resetSource(dev: SourceDevice, driver?: DriverProfile): ResetEffect {
  const e = driver?.reset ? driver.reset(dev) : KERNEL_RESET;
  if (e.endsSession && dev.live) endSession(dev);
  if (e.state !== 'keep') dev.state = e.state;
  return e;
}

// ---------------------------------------------------------------------------------------
// read()

/** What read() on the user's fd returns. */
export type ReadResult =
  | { readonly kind: 'data'; readonly record: StreamRecord }
  | { readonly kind: 'eof' }
  | { readonly kind: 'errno'; readonly errno: 'ENOMSG' | 'EAGAIN' | 'ENODEV' | 'EINVAL' };

const STALE_ENODEV: ReadResult = { kind: 'errno', errno: 'ENODEV' };
const STALE_EINVAL: ReadResult = { kind: 'errno', errno: 'EINVAL' };
const STALE_EOF: ReadResult = { kind: 'eof' };

/**
 * The result read() would give now (pure). On an ended session: the driver's `staleRead`, by
 * default ENODEV (SAVE-4). `order`: the order of units within a kind (default index order).
 */
export function readResult(dev: Readonly<SourceDevice>, driver: DriverProfile, order?: readonly number[]): ReadResult {
  if (!dev.live) {
    const e = driver.staleRead ? driver.staleRead(dev) : 'ENODEV';
    return e === 'ENODEV' ? STALE_ENODEV : e === 'EINVAL' ? STALE_EINVAL : STALE_EOF;
  }
  const r = nextRecord(dev, order);
  if (r) return { kind: 'data', record: r };
  const e = driver.readEmpty(dev);
  return e === 'EOF' ? { kind: 'eof' } : { kind: 'errno', errno: e };
}

/** Applies a read whose result was computed on this same device. */
export function applyRead(dev: SourceDevice, r: ReadResult, driver: DriverProfile, b: StreamBounds, history: boolean): void {
  if (r.kind === 'data') {
    popRecord(dev, r.record);
    if (driver.onRead) driver.onRead(dev);
    if (!history) return;
    const most = maxRecords(b);
    if (inPreCopy(dev.state)) dev.readPre = Math.min(most, dev.readPre + 1);
    else if (dev.state === 'STOP_COPY') dev.readStop = Math.min(most, dev.readStop + 1);
  } else if (r.kind === 'eof' && dev.state === 'STOP_COPY' && dev.live) dev.eof = true;
}

/** `[initial unit 0 v1]`, `0`, `-1 ENOMSG`. */
export function showRead(r: ReadResult, show: (rec: StreamRecord) => string): string {
  switch (r.kind) {
    case 'data': return show(r.record);
    case 'eof': return '0';
    case 'errno': return `-1 ${r.errno}`;
  }
}

// ---------------------------------------------------------------------------------------
// VFIO_MIG_GET_PRECOPY_INFO

export type InfoResult = PrecopyInfoAnswer | { readonly ok: false; readonly errno: 'ENODEV' };

const INFO_ENODEV: InfoResult = { ok: false, errno: 'ENODEV' };
const INFO_EINVAL: InfoResult = { ok: false, errno: 'EINVAL' };
const INFO_ENOTTY: InfoResult = { ok: false, errno: 'ENOTTY' };

/**
 * The answer precopy_info would give now (pure). `echoReinit`: the caller passed the REINIT bit
 * in `flags` and the kernel echoes input flags (kernel profile `precopyInfoFlags`). On an ended session: the driver's `stalePrecopyInfo`, by default ENODEV. */
export function precopyInfoResult(dev: Readonly<SourceDevice>, driver: DriverProfile, echoReinit = false): InfoResult {
  if (!dev.live) {
    const e = driver.stalePrecopyInfo ? driver.stalePrecopyInfo(dev) : 'ENODEV';
    return e === 'ENODEV' ? INFO_ENODEV : e === 'EINVAL' ? INFO_EINVAL : INFO_ENOTTY;
  }
  const a = driver.precopyInfo(dev);
  // A kernel that copies the caller's struct back keeps the caller's input bits in `flags` (PRECOPY-14).
  return echoReinit && a.ok && !a.reinit ? { ...a, reinit: true } : a;
}

/** Applies an answer computed on this same device. */
export function applyPrecopyInfo(dev: SourceDevice, a: InfoResult, driver: DriverProfile, history: boolean): void {
  if (!a.ok) return;
  if (history && inPreCopy(dev.state)) {
    dev.infoInitial = Math.max(0, Math.min(dev.units.length + 1, a.initial));
    dev.infoDirty = Math.max(0, Math.min(2 * dev.units.length, a.dirty));
  }
  dev.reinitPending = false;
  if (driver.afterPrecopyInfo) withTrailer(dev, history, () => driver.afterPrecopyInfo!(dev));
}

/** `{initial_bytes: 2, dirty_bytes: 0}`, `{…, flags: REINIT}`, `-1 EINVAL`. */
export function showInfo(a: InfoResult): string {
  if (!a.ok) return `-1 ${a.errno}`;
  return `{initial_bytes: ${a.initial}, dirty_bytes: ${a.dirty}${a.reinit ? ', flags: REINIT' : ''}}`;
}

// ---------------------------------------------------------------------------------------
// The device's own steps

/** The device may change unit `u`: it runs (in a state its driver runs it in), and the unit has not reached its last version (no wrap-around). */
export function canDirty(dev: Readonly<SourceDevice>, u: number, maxVersion: number, driver?: DriverProfile): boolean {
  return isRunning(dev.state) && dev.units[u] < maxVersion && (driver?.runsIn === undefined || driver.runsIn(dev.state));
}

/** The device changes unit `u` (FSM-1); a running driver may track or capture it (FSM-9). */
export function deviceDirty(dev: SourceDevice, u: number, driver: DriverProfile): void {
  dev.units[u]++;
  if (dev.live) dev.changed = true;
  driver.onDirty(dev, u);
}

/** The device may re-initialise its migration data: the driver can, a PRE_COPY session is live, once per session. */
export function canReinit(dev: Readonly<SourceDevice>, driver: DriverProfile): boolean {
  return driver.reinit !== undefined && dev.live && inPreCopy(dev.state) && !dev.reinited;
}

/** The device re-initialises its migration data (REINIT-5). With the opt-in the new data is initial data again (REINIT-2). */
export function deviceReinit(dev: SourceDevice, driver: DriverProfile): void {
  driver.reinit!(dev);
  dev.reinited = true;
  dev.reinitPending = true;
  dev.changed = !dev.optIn;
}

/** An asynchronous save can complete. */
export function canSaveDone(dev: Readonly<SourceDevice>, driver: DriverProfile): boolean {
  return dev.pending && driver.saveDone !== undefined;
}

/** The asynchronous save (or one chunk of it) completes: its data is buffered (DATA-10). */
export function saveDone(dev: SourceDevice, driver: DriverProfile, history: boolean): void {
  // The save in flight is done; a driver that saves in chunks sets `pending` again for the next one.
  dev.pending = false;
  withTrailer(dev, history, () => driver.saveDone!(dev));
}

