// The VFIO side of log replay: how a recorded event is matched against a step of the model
// (the migration model of model/datapath/migration.ts, or, for traces written by releases
// before the control half became the control user of that model, the control-only model
// whose one device was `dev`), which of the model's steps a log never shows, what a migration that
// stops mid-way still owes, and why a departure happened (which clause, which party). The
// search itself is the checker's (checker/explore/validate.ts, replayLog); nothing here
// computes successors.
//
// A step's events are read from its label, the ioctl-log line the model renders for the call
// (model/datapath/uapi.ts showSet/showSrcRead/…, the user models' DEVICE_FEATURE(...) lines), with the
// same reader that turns migcheck's own traces into events (trace.ts eventsFromSteps): one
// rendering of each call, read back one way. A label that gives two events (QEMU-like
// QemuSaveSetup: MIG_DATA_SIZE then SET PRE_COPY) is a compound step that must match two
// consecutive events of the log.
//
// Abstraction (docs/replay.md, "What is compared"):
//  - a log from a real run shows byte counts and fd numbers of its own, the model counts
//    records and numbers fds from 3, so only what both share is compared: the call, its side,
//    success or errno, SET's target and whether a data_fd came back, end of stream (read = 0)
//    against data, and whether precopy_info's answers are zero. A log made from the model
//    (json, itf) is compared exactly: fds, records and numbers too;
//  - a model record may reach the log as several read() (or write()) calls: a read that
//    returns data right after another one may continue it (a stuttering step);
//  - events of a side the log never shows (a source-only QEMU trace) are the model's hidden
//    steps, like the device's own (DEVICE_ACTIONS in model/datapath/migration.ts) and QEMU-like
//    internal decisions (call 'user').

import type { Event, Instance, Observer } from '../../checker/index.js';
import type { MigrationState } from '../datapath/uapi.js';
import { inPreCopy, inSavingGroup } from '../states.js';
import { DEVICE_ACTIONS } from '../datapath/migration.js';
import { eventsFromSteps } from './trace.js';
import { UNOBSERVED_CALLS } from './calls.js';
import type { ReplayEvent, Side } from './events.js';

/** Actions of the models that are never uAPI calls, whatever their `call` says. */
const DEVICE_STEPS = new Set<string>(DEVICE_ACTIONS);

export interface MatchOptions {
  /** Compare fds, records and numbers exactly (logs made from the model: json, itf). */
  readonly exact: boolean;
  /** The sides the log shows; the model's calls on the other side are hidden steps. */
  readonly sides: ReadonlySet<Side>;
  /** Calls the log's format may leave out (QEMU_UNTRACED for QEMU traces; none by default). */
  readonly untraced?: readonly ReplayEvent['call'][];
}

/** Which kind of model an instance is: the migration model (source, destination, link) or the control-only one. */
export type ModelKind = 'migration' | 'control';

export function modelKind(inst: Instance<unknown>): ModelKind {
  const s = inst.init[0] as Record<string, unknown> | undefined;
  return s && 'src' in s && 'dst' in s ? 'migration' : 'control';
}

/** The uAPI call an action declares (`src.read`, `device`, …), if the model declares one. */
const declaredCall = (inst: Instance<unknown>, action: string): string | undefined => {
  const a = inst.actions.find((x) => x.name === action);
  return (a?.def as { call?: string } | undefined)?.call;
};

const sideOfCall = (call: string | undefined): Side | undefined =>
  call?.startsWith('src.') ? 'source' : call?.startsWith('dst.') ? 'destination' : undefined;

const isData = (e: ReplayEvent): boolean =>
  e.errno === undefined && ((e.call === 'read' && !e.empty && e.bytes !== 0) || e.call === 'write');

/**
 * Calls a recorded log may leave out although they were made: QEMU 8.x/9.x trace neither the
 * MIG_DATA_SIZE query nor the PRECOPY_INFOv2 opt-in (vfio_save_setup, vfio_migration_init
 * print no answer, and older trees no event). A model step making only such calls may run
 * unseen; in a compound step they may be missing.
 */
export const QEMU_UNTRACED: readonly ReplayEvent['call'][] = ['data_size', 'opt_in'];

/**
 * What of log event l `compatible`, `isData` and the observer's other answers read: two events
 * with the same key match the same model events. Not compared unless exact: fd numbers, byte
 * counts beyond zero or not, records, MIG_DATA_SIZE's answer; never: the device's name (one
 * log per device), the line, the note. Keep in step with `compatible`.
 */
export function matchKey(l: ReplayEvent, exact: boolean): string {
  let k = '';
  for (const [f, v] of Object.entries(l)) {
    if (v === undefined || IGNORED.has(f) || (!exact && INEXACT_IGNORED.has(f))) continue;
    const shown = exact ? v : f === 'data_fd' ? (typeof v === 'number' ? 'fd' : v) : INEXACT_ZERO.has(f) ? v === 0 : v;
    k += `${f}=${JSON.stringify(shown)};`;
  }
  return k;
}
const IGNORED = new Set(['line', 'device', 'note']);
const INEXACT_IGNORED = new Set(['fd', 'record', 'stop_copy_length']);
const INEXACT_ZERO = new Set(['bytes', 'initial_bytes', 'dirty_bytes']);

const fdOk = (exact: boolean, a: number | undefined, b: number | undefined): boolean => !exact || a === undefined || a === b;
const sameSize = (exact: boolean, a: number | undefined, b: number | undefined): boolean => a === undefined || (exact ? a === b : (a === 0) === (b === 0));

/** Whether model event m can be what log event l records. */
export function compatible(l: ReplayEvent, m: ReplayEvent, exact: boolean): boolean {
  if (l.side !== m.side) return false;
  if (l.call === 'feature') {
    if (m.call !== 'set_state' && m.call !== 'opt_in' && m.call !== 'data_size') return false;
  } else if (l.call !== m.call) return false;
  if (l.call === 'read' && l.empty) return m.call === 'read' && (m.errno === 'ENOMSG' || (m.errno === undefined && m.bytes === 0));
  if (l.errno !== undefined) {
    if (m.errno === undefined) return false;
    if (l.errno !== 'unknown' && l.errno !== m.errno) return false;
  } else if (m.errno !== undefined) return false;
  switch (l.call) {
    case 'set_state': {
      if (m.call !== 'set_state' || l.target !== m.target) return false;
      if (l.data_fd === undefined || l.errno) return true;
      if (l.data_fd === null) return m.data_fd === null || m.data_fd === undefined;
      return typeof m.data_fd === 'number' && (!exact || m.data_fd === l.data_fd);
    }
    case 'get_state':
      return m.call === 'get_state' && (l.state === undefined || l.state === m.state);
    case 'data_size':
      return m.call === 'data_size' && (!exact || l.stop_copy_length === undefined || l.stop_copy_length === m.stop_copy_length);
    case 'read':
      if (m.call !== 'read' || !fdOk(exact, l.fd, m.fd)) return false;
      if (l.errno) return true;
      if (l.bytes !== undefined && (l.bytes === 0) !== (m.bytes === 0)) return false;
      return !exact || l.record === undefined || l.record === m.record;
    case 'write':
      return m.call === 'write' && fdOk(exact, l.fd, m.fd) && (!exact || l.record === undefined || l.record === m.record);
    case 'precopy_info': {
      if (m.call !== 'precopy_info' || !fdOk(exact, l.fd, m.fd)) return false;
      if (l.errno) return true;
      if (!sameSize(exact, l.initial_bytes, m.initial_bytes) || !sameSize(exact, l.dirty_bytes, m.dirty_bytes)) return false;
      return l.reinit !== true || m.reinit === true;
    }
    case 'close':
      return m.call === 'close' && fdOk(exact, l.fd, m.fd);
    default:
      return true;
  }
}

/** The observer the checker's replayLog uses for one model instance and one device's log. */
export function vfioObserver(inst: Instance<unknown>, o: MatchOptions): Observer<unknown, ReplayEvent> {
  const kind = modelKind(inst);
  const labelEvents = new Map<string, readonly ReplayEvent[]>();
  // The most events one step's label gives, of the labels seen so far: how far past log[i] a match may look.
  let span = 1;
  const eventsOf = (ev: Event<unknown>): readonly ReplayEvent[] => {
    let es = labelEvents.get(ev.label);
    if (!es) {
      const r = eventsFromSteps([{ action: 'Init', label: 'Init' }, { action: ev.action, label: ev.label }]);
      es = r.ok ? r.events : [];
      labelEvents.set(ev.label, es);
      span = Math.max(span, es.length);
    }
    return es;
  };
  const keys = new Map<ReplayEvent, string>();
  const keyOf = (e: ReplayEvent): string => {
    let k = keys.get(e);
    if (k === undefined) keys.set(e, (k = matchKey(e, o.exact)));
    return k;
  };
  const calls = new Map(inst.actions.map((a) => [a.name, declaredCall(inst, a.name)]));
  const untraced = new Set(o.untraced ?? []);
  const unseenOk = (m: ReplayEvent): boolean => m.errno === undefined && untraced.has(m.call);
  let firstSetAt: number | undefined;
  const firstSet = (log: readonly ReplayEvent[]): number => {
    if (firstSetAt === undefined) {
      const k = log.findIndex((e) => e.call === 'set_state' || e.call === 'feature');
      firstSetAt = k < 0 ? log.length : k;
    }
    return firstSetAt;
  };
  return {
    hidden(action, param) {
      if (DEVICE_STEPS.has(action)) return true;
      const call = calls.get(action);
      if (call !== undefined && (UNOBSERVED_CALLS as readonly string[]).includes(call)) return true;
      const side = sideOfCall(call);
      if (side === undefined || o.sides.has(side)) return false;
      // A side the log does not show matters to the other only through the user's buffer. Of
      // the adversarial user's calls there, the unseen steps are those that take records out
      // of it (open a resuming session, write); resets and other SETs of a device nobody
      // watches would only multiply the states kept.
      if (action === 'DstSetState') return param === 'RESUMING';
      if (action === 'DstReset') return false;
      return true;
    },
    candidate(action, e) {
      const side = sideOfCall(calls.get(action));
      return side === undefined || side === e.side;
    },
    match(ev, log, i) {
      const es = eventsOf(ev);
      // A compound step's parts in order; in a recorded log, a part the format may not show
      // (unseenOk) may be missing.
      let k = 0;
      for (const m of es) {
        if (i + k < log.length && compatible(log[i + k], m, o.exact)) k++;
        else if (o.exact || !unseenOk(m)) return 0;
      }
      return k;
    },
    absorbing: (log, i) => !o.exact && (untraced.size > 0 || (i > 0 && isData(log[i - 1]))),
    absorbed(ev, log, i) {
      if (o.exact) return false;
      const es = eventsOf(ev);
      // The opt-in is made once, before migration starts (QEMU: at realize).
      if (es.length > 0 && es.every(unseenOk)) return es.every((m) => m.call !== 'opt_in') || i <= firstSet(log);
      const p = log[i - 1];
      if (p === undefined || !isData(p)) return false;
      // A log's read() or write() carries bytes, the model's a record: one observed call may
      // stand for several records read and forwarded (the model's user buffers one record).
      return es.length === 1 && isData(es[0]);
    },
    // The same call with another result: the device answered otherwise. A step whose first
    // call matches the event but whose later calls do not is the VMM doing something else
    // next, not a near miss of the device's.
    related(ev, e) {
      const m = eventsOf(ev)[0];
      const sameCall = m !== undefined && m.side === e.side && (m.call === e.call || (e.call === 'feature' && ['set_state', 'opt_in', 'data_size'].includes(m.call)));
      return sameCall && !compatible(e, m!, o.exact);
    },
    unknown(e) {
      if (e.call === 'open') return 'obtaining the device fd is no step of the model (its devices are open from the start)';
      if (e.call === 'get_state' && kind === 'migration') return 'the migration model makes no GET_STATE (it changes nothing; the control-only model has it)';
      return undefined;
    },
    stutter(log, i) {
      if (o.exact) return undefined;
      const e = log[i];
      // MIG_DATA_SIZE changes nothing and is answered in every state (SIZE-2): a query the
      // adversarial user model leaves out; close() of a data_fd only takes calls away.
      if (e.side === 'source' && e.call === 'data_size') return 'a MIG_DATA_SIZE query changes nothing (SIZE-2)';
      if (e.call === 'close' && !e.errno) return 'close() takes calls away, changes nothing the model tracks';
      if (i === 0) return undefined;
      // A record may also reach the log as several calls: a read() or write() of data right after another.
      return isData(e) && isData(log[i - 1]) ? `more of the record the previous ${e.call}() began` : undefined;
    },
    // What the answers at log[i] read: log[i-1] as data or not (absorbed, stutter), whether
    // migration has started (the opt-in), and log[i..i+span) (a compound step's events).
    key(log, i) {
      let k = `${span}|${i === 0 ? '^' : isData(log[i - 1])}|${i <= firstSet(log)}`;
      for (let j = i; j < i + span && j < log.length; j++) k += `|${keyOf(log[j])}`;
      return k;
    },
    owed(s) {
      if (kind !== 'migration') return [];
      const m = s as MigrationState;
      const out: string[] = [];
      if (o.sides.has('source') && inSavingGroup(m.src.state) && m.src.live) {
        if (inPreCopy(m.src.state)) out.push(`the source is in ${m.src.state}: SET_STATE(STOP_COPY), read() its data_fd until it returns 0, then SET_STATE(STOP) (or abort to RUNNING)`);
        // Once read() returned 0 the stream is whole; leaving STOP_COPY is the VMM's cleanup.
        else if (!m.src.eof) out.push('the source is in STOP_COPY: read() its data_fd until it returns 0 (end of stream, DATA-7), then SET_STATE(STOP)');
      }
      if (o.sides.has('destination') && m.dst.state === 'RESUMING') out.push('the destination is in RESUMING: write() the rest of the stream, then SET_STATE(STOP) so the device loads it (DATA-5)');
      return out;
    },
  };
}
