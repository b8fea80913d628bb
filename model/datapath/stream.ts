// The saving stream of a VFIO migration session, as records that say which part of the
// device's state they carry and at which version.
//
// Modelled: the device's internal state is a few units, each with a small version number
// (FSM-1, FSM-2). A saving session's stream is made of records: a compatibility `header`
// (hisi_acc, qat, mtty: DRV-2), `initial` records (the initial data set, PRECOPY-4/5),
// `dirty` records (data that changed since it was last captured, PRECOPY-7), `final`
// records (the STOP_COPY trailer, FSM-6) and an `end` record that closes the stream, so that
// a destination can tell a complete stream from a prefix (DATA-5). Each record of a unit
// carries the version the driver captured.
//
// Abstracted: sizes. One record is the model's unit of data, so `initial_bytes`,
// `dirty_bytes` and MIG_DATA_SIZE count records. What the driver has captured but the user
// has not read yet is kept per unit and per kind (at most one unread record of each kind per
// unit; a newer capture of the same kind replaces an unread older one, which carries less),
// and read() hands records out in the order header, initial, dirty, final, end, unit by unit.
// Within one unit that order is also the order of capture, so a destination that applies
// records in the order it receives them never goes back to an older version. Drivers are free
// to choose what they send when (PRECOPY-9); this order is one such choice.

import { t, type BoolType, type Infer, type IntType, type RecordType } from '../../checker/index.js';
import { STATES } from '../states.js';
import type { DriverProfile, PrivateField } from '../drivers/profile.js';

/** What a record carries. */
export const RECORD_KINDS = ['header', 'initial', 'dirty', 'final', 'end'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** The kinds that carry a unit of device state. */
export const UNIT_KINDS = ['initial', 'dirty', 'final'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** One record of the stream as the user receives it; `unit`/`version` are 0 for header and end. */
export interface StreamRecord {
  readonly kind: RecordKind;
  readonly unit: number;
  readonly version: number;
}

/** No unread record of that kind for that unit. */
export const NONE = -1;

/** The bounds of a migration model that size the stream fields. */
export interface StreamBounds {
  /** Number of units of device state. */
  readonly units: number;
  /** Highest version of a unit. */
  readonly maxVersion: number;
}

const UNIT_TYPES = new WeakMap<StreamBounds, IntType>();

/**
 * The type of a unit's number, 0..units-1, one object per bounds: the arrays indexed by unit
 * are `t.array(…, unitType(b))`, so that a `symmetry: [unitType(b)]` permutes their positions
 * (checker schema docs, "Symmetry"); without a symmetry they are plain arrays.
 */
export function unitType(b: StreamBounds): IntType {
  let u = UNIT_TYPES.get(b);
  if (!u) UNIT_TYPES.set(b, (u = t.int(0, b.units - 1)));
  return u;
}

/**
 * The most records one saving session can hand out: a header, two initial images (the
 * second after REINIT), every dirty version plus one image re-sent as dirty data (REINIT
 * without the opt-in), a trailer, the end. History counters saturate here.
 */
export function maxRecords(b: StreamBounds): number {
  return 1 + 2 * b.units + b.units * (b.maxVersion + 1) + b.units + 1;
}

/** The schema of a driver's private state (`dev.drv`): the fields its profile declares (`state`). */
function privateSchema(driver?: DriverProfile): RecordType<Record<string, BoolType | IntType>> {
  const fields: Record<string, BoolType | IntType> = {};
  for (const [k, f] of Object.entries(driver?.state ?? {}) as [string, PrivateField][])
    fields[k] = f.type === 'bool' ? t.bool() : t.int(f.min, f.max);
  return t.record(fields);
}

/**
 * The source device as a driver profile sees it, for some bounds (and the driver's private
 * fields): the device state, its internal state, the current saving session and what the
 * driver has buffered for it. A driver profile's hooks read and change these fields (use the
 * helpers below); the model itself keeps the session bookkeeping (`live`, `held`) and the
 * history fields (`readPre` … `trailer`, kept only when the model's HISTORY option is on,
 * `history`; otherwise they stay at their initial values). The field order is the packed layout.
 */
export function sourceSchema(b: StreamBounds, driver?: DriverProfile, history = true) {
  const most = maxRecords(b);
  // Without HISTORY a history field keeps its initial value: its domain is that one value,
  // so it takes no bits of the packed state, and a step that changed it would fail TypeOK.
  const kept = (initial: number, max: number) => t.int(initial, history ? max : initial);
  const Unit = unitType(b);
  const slot = t.array(t.int(NONE, b.maxVersion), Unit);
  return t.record({
    /** device_state as the driver caches it after each arc (KERN-8). */
    state: t.enum(STATES),
    /** The device's internal state: the version of each unit; only the device's own running changes it (FSM-1, FSM-2). */
    units: t.array(t.int(0, b.maxVersion), Unit),
    /** The latest session is valid: its fd reads data, not ENODEV (SAVE-3, SAVE-4). */
    live: t.bool(),
    /** The user holds an fd of this device: a session was opened and the user has not closed it (SET-5). */
    held: t.bool(),
    /** An unread compatibility header is buffered (DRV-2). */
    header: t.bool(),
    /** Per unit, the version held by the unread initial record, or NONE. */
    initial: slot,
    /** Per unit, the version held by the unread dirty record, or NONE. */
    dirty: slot,
    /** Per unit, the version held by the unread final (STOP_COPY) record, or NONE. */
    final: slot,
    /** The unread end-of-stream record is buffered (the trailer is complete). */
    end: t.bool(),
    /** Per unit, the driver's dirty tracker: changed since its data last went into the stream and not yet captured (FSM-9). */
    tracked: t.array(t.bool(), Unit),
    /** An asynchronous STOP_COPY save is in flight; its data is not buffered yet (DATA-10, DRV-4). */
    pending: t.bool(),
    /** The user opted in with VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 (REINIT-3, REINIT-4). */
    optIn: t.bool(),
    /** The device re-initialised its migration data since the last successful precopy_info (REINIT-5). */
    reinitPending: t.bool(),
    /** The device already re-initialised once in this session (a bound of the model). */
    reinited: t.bool(),
    /** The device changed a unit since the session's initial data was taken, or since REINIT (PRECOPY-7, REINIT-2). */
    changed: t.bool(),
    /** read() returned 0 in STOP_COPY in this session (DATA-7). */
    eof: t.bool(),
    /** Records read in PRE_COPY states in this session. */
    readPre: kept(0, most),
    /** Records read in STOP_COPY in this session. */
    readStop: kept(0, most),
    /** initial_bytes of the last successful precopy_info in a PRE_COPY state of this session, or NONE. */
    infoInitial: kept(NONE, b.units + 1),
    /** dirty_bytes of that answer, or NONE. */
    infoDirty: kept(NONE, 2 * b.units),
    /** Unread initial data (header and initial records) when the session went from a PRE_COPY state to STOP_COPY, or NONE. */
    switchInitial: kept(NONE, b.units + 1),
    /** Records of unit data the driver produced for STOP_COPY (the trailer) in this session. */
    trailer: kept(0, b.units),
    /** The driver's private variables, as its profile declares them (`state`); empty for most profiles. */
    drv: privateSchema(driver),
  });
}

/** The source device (see sourceSchema, its one declaration). */
export type SourceDevice = Infer<ReturnType<typeof sourceSchema>>;

// ---------------------------------------------------------------------------------------
// Helpers for driver profiles

/**
 * The unread records of a kind (`dev[kind]`), read by name: a property look-up keyed by a
 * string that changes from call to call is a slow, generic look-up in V8, and these helpers
 * run on every step.
 */
function recordsOf(dev: Readonly<SourceDevice>, kind: UnitKind): number[] {
  return kind === 'initial' ? dev.initial : kind === 'dirty' ? dev.dirty : dev.final;
}

/** Buffers a record of unit `u` at its current version (replacing an older unread one of the same kind). */
export function capture(dev: SourceDevice, kind: UnitKind, u: number): void {
  recordsOf(dev, kind)[u] = dev.units[u];
}

/** Buffers every unit at its current version: a whole image of the device. */
export function captureImage(dev: SourceDevice, kind: UnitKind): void {
  const records = recordsOf(dev, kind);
  for (let u = 0; u < dev.units.length; u++) records[u] = dev.units[u];
}

/** Buffers the units the tracker marked as changed, and clears the tracker. */
export function captureTracked(dev: SourceDevice, kind: UnitKind): void {
  const records = recordsOf(dev, kind);
  for (let u = 0; u < dev.units.length; u++) {
    if (dev.tracked[u]) {
      records[u] = dev.units[u];
      dev.tracked[u] = false;
    }
  }
}

/** Marks every unit as changed in the tracker (nothing of the device is in the stream yet). */
export function trackAll(dev: SourceDevice): void {
  for (let u = 0; u < dev.tracked.length; u++) dev.tracked[u] = true;
}

/** Drops the unread records of a kind. */
export function discard(dev: SourceDevice, kind: UnitKind): void {
  const records = recordsOf(dev, kind);
  for (let u = 0; u < records.length; u++) records[u] = NONE;
}

/** Unread records of a kind. */
export function unread(dev: Readonly<SourceDevice>, kind: UnitKind): number {
  const records = recordsOf(dev, kind);
  let n = 0;
  for (let u = 0; u < records.length; u++) if (records[u] !== NONE) n++;
  return n;
}

/** Unread initial data: the header plus the initial records. */
export function unreadInitial(dev: Readonly<SourceDevice>): number {
  return (dev.header ? 1 : 0) + unread(dev, 'initial');
}

/** Units the tracker holds as changed but not captured. */
export function trackedCount(dev: Readonly<SourceDevice>): number {
  let n = 0;
  const tracked = dev.tracked;
  for (let u = 0; u < tracked.length; u++) if (tracked[u]) n++;
  return n;
}

/** Whether any record is buffered unread. */
export function hasBuffered(dev: Readonly<SourceDevice>): boolean {
  return dev.header || dev.end || dev.initial.some((v) => v !== NONE) || dev.dirty.some((v) => v !== NONE) || dev.final.some((v) => v !== NONE);
}

/**
 * The record read() hands out next, in the order header, initial, dirty, final, end; null
 * when nothing is buffered. Within a kind, units in index order, or in `order` (the units in
 * the order the driver sends them: the SYMMETRY option's order by data, uapi.ts).
 */
export function nextRecord(dev: Readonly<SourceDevice>, order?: readonly number[]): StreamRecord | null {
  if (dev.header) return { kind: 'header', unit: 0, version: 0 };
  for (const kind of UNIT_KINDS) {
    const a = recordsOf(dev, kind);
    for (let k = 0; k < a.length; k++) {
      const u = order === undefined ? k : order[k];
      if (a[u] !== NONE) return { kind, unit: u, version: a[u] };
    }
  }
  if (dev.end) return { kind: 'end', unit: 0, version: 0 };
  return null;
}

/** Removes the record `nextRecord` returned. */
export function popRecord(dev: SourceDevice, r: StreamRecord): void {
  if (r.kind === 'header') dev.header = false;
  else if (r.kind === 'end') dev.end = false;
  else recordsOf(dev, r.kind)[r.unit] = NONE;
}

/** Empties the session's buffers and tracker (the session ended; its data is gone). */
export function clearStream(dev: SourceDevice): void {
  dev.header = false;
  dev.end = false;
  const { initial, dirty, final, tracked } = dev;
  for (let u = 0; u < tracked.length; u++) {
    initial[u] = NONE;
    dirty[u] = NONE;
    final[u] = NONE;
    tracked[u] = false;
  }
  dev.pending = false;
}

/** `[initial unit 0 v1]`, `[header]`, `[end]`. */
export function showRecord(r: StreamRecord): string {
  return r.kind === 'header' || r.kind === 'end' ? `[${r.kind}]` : `[${r.kind} unit ${r.unit} v${r.version}]`;
}
