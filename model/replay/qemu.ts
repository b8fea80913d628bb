// QEMU's VFIO migration trace, as `-trace 'vfio_*'` prints it with the default `log` backend,
// read back into events.
//
// Line format (scripts/tracetool/backend/log.py, qemu/qemu, 2025: `qemu_log("NAME " FMT "\n")`;
// with `-msg timestamp=on` the generated code prefixes `PID@SECONDS.MICROSECONDS:`):
//     [1234@1701526800.123456:]vfio_migration_set_state  (0000:17:00.1) state STOP_COPY
// Most VFIO formats start with " (%s)", hence two spaces after the name. Event names and
// arguments are those of hw/vfio/trace-events across the releases that changed them
// (../shared/vfio/qemu-trace-events.txt V0..V6b). What each event shows, per
// hw/vfio/migration.c (qemu/qemu, 9.x era, commit 019d9e6c):
//   - vfio_migration_set_state "state %s": traced only after the SET succeeded
//     (vfio_migration_set_state()), so it is a successful set_state;
//   - vfio_migration_set_state "new state %s, recover state %s" (qemu/qemu 10.x): traced
//     first, before QEMU returns early without an ioctl when it already records that state;
//     paired with the vfio_migration_set_device_state that follows (every change of the
//     recorded state: the target on success, the recover state after a failure, RUNNING
//     after the reset that recover ERROR means);
//   - failed SETs are not trace events but error_report() lines
//     ("NAME: Failed setting device state to S, err: TEXT. Recover state is ERROR. Resetting
//     device", "... Setting device in recover state R", "NAME: Failed setting device in
//     recover state, err: TEXT. Resetting device"), read here too;
//   - vfio_save_block "data_size %d": a read() that returned that many bytes; a read() that
//     returned 0 or ENOMSG is not traced (vfio_save_block() returns before the trace), so a
//     vfio_save_iterate with no vfio_save_block before it stands for an empty read, and
//     vfio_save_complete_precopy stands for the read that ended the STOP_COPY loop — 0 or
//     ENOMSG, the trace cannot tell which (DATA-7, DATA-8);
//   - vfio_load_state_device_data "size N ret R": N bytes written to the data_fd (possibly in
//     several write() calls, qemu_file_get_to_fd()), R < 0 the -errno;
//   - vfio_state_pending_exact: QEMU queried MIG_DATA_SIZE (100 GiB printed when the query
//     failed) and, in PRE_COPY states, VFIO_MIG_GET_PRECOPY_INFO (both sizes 0 when it failed,
//     so a 0/0 answer is not trusted); vfio_save_setup: MIG_DATA_SIZE queried and, entering
//     PRE_COPY, PRECOPY_INFO queried, results not printed. Newer trees trace the two queries
//     themselves (vfio_query_stop_copy_size, vfio_query_precopy_size); when a log has those,
//     nothing is inferred from the others;
//   - vfio_save_cleanup / vfio_load_cleanup: the data_fd is closed.
// Events of migration protocol v1 (QEMU 5.x-7.x, region based: "state %d", "Offset .. size")
// are counted as unknown: the model is protocol v2. Other vfio_* events are counted as
// unknown; known events that make no uAPI call are counted as informational.
//
// Sides: a device is the source if the log shows it saving (vfio_save_*, PRE_COPY/STOP_COPY)
// and the destination if it shows it loading (vfio_load_*, RESUMING). With the pid prefix,
// the same name in two processes is two devices.

import { ERRNO_NUMBER, ERRNO_TEXT, errnoOfNumber, errnoOfText, isMigState, type Errno, type Observation, type ReplayEvent, type Side } from './events.js';
import { LogCollector, numberedLines, type ParseResult } from './result.js';
import { inSavingGroup, inPreCopy, type MigState } from '../states.js';

export interface QemuTraceOptions {
  /** Every device is on this side (a log of one QEMU process); otherwise it is inferred per device. */
  readonly side?: Side;
}

/** QEMU's fallback when MIG_DATA_SIZE fails (VFIO_MIG_STOP_COPY_SIZE, hw/vfio/migration.c). */
export const QEMU_UNKNOWN_STOP_COPY_SIZE = 100 * 1024 ** 3;

const PREFIX = /^(\d+)@(\d+\.\d+):/;
const NAME = /^(vfio_\w+)(?: (.*))?$/;
const NUM = '(0x[0-9a-fA-F]+|\\d+)';
const INT = '(-?\\d+)';

/** The argument forms of the events, compiled once. */
const ARGS = {
  saveBlock: new RegExp(`^ data_size ${INT}$`),
  saveIterate: new RegExp(`^ precopy initial size ${NUM} precopy dirty size ${NUM}$`),
  completePrecopy: new RegExp(`^(?: ret ${INT})?$`),
  pendingExact: new RegExp(`^ precopy ${NUM} postcopy ${NUM} stopcopy size ${NUM} precopy initial size ${NUM} precopy dirty size ${NUM}$`),
  queryPrecopy: new RegExp(`^ init ${NUM}, dirty ${NUM}, reinit (\\d), ret ${INT}$`),
  queryStopCopy: new RegExp(`^ stopcopy size ${NUM} ret ${INT}$`),
  loadData: new RegExp(`^ size ${NUM}(?: ret ${INT})?$`),
  migrationInit: new RegExp(`^ mig_flags ${NUM}, precopy_info_v2_used (\\d), dirty_pages_supported (\\d)$`),
};

const num = (s: string): number => (s.startsWith('0x') || s.startsWith('0X') ? Number(BigInt(s)) : Number(s));

/** Known events that make no uAPI call (or none the model has), by name. */
const INFORMATIONAL = new Set([
  'vfio_vmstate_change', 'vfio_vmstate_change_prepare', 'vfio_migration_state_notifier', 'vfio_load_state',
  'vfio_save_device_config_state', 'vfio_load_device_config_state', 'vfio_load_device_config_state_start',
  'vfio_load_device_config_state_end', 'vfio_send_init_data_flag', 'vfio_query_precopy_size_request_switchover_ack',
  'vfio_save_iterate_start', 'vfio_save_iterate_started', 'vfio_save_complete_precopy_start',
  'vfio_save_complete_precopy_started', 'vfio_state_pending_estimate',
]);
/** Multifd device-state transfer (QEMU 10.x): reads and writes run in threads that are not traced call by call. */
const MULTIFD = new Set([
  'vfio_load_bufs_thread_start', 'vfio_load_bufs_thread_end', 'vfio_load_state_device_buffer_incoming',
  'vfio_load_state_device_buffer_start', 'vfio_load_state_device_buffer_starved', 'vfio_load_state_device_buffer_load_start',
  'vfio_load_state_device_buffer_load_end', 'vfio_load_state_device_buffer_end', 'vfio_save_complete_precopy_thread_start',
  'vfio_save_complete_precopy_thread_started', 'vfio_save_complete_precopy_thread_end', 'vfio_save_complete_precopy_thread_finished',
]);
/** Protocol v1 only. */
const V1_ONLY = new Set(['vfio_migration_probe', 'vfio_save_buffer', 'vfio_update_pending', 'vfio_save_pending']);

type Pending = { call: Observation; key: string; line: number; note?: string };

/** QEMU's view of one device, kept as the trace goes (QEMU trusts its cache and never GETs the state). */
interface DeviceView {
  readonly pid: string;
  readonly name: string;
  /** The state QEMU records (migration->device_state); RUNNING at start and after a reset. */
  state: MigState;
  /** A data_fd is held (a session opened and no cleanup yet). */
  holdsFd: boolean;
  /** A vfio_save_block was seen since the last vfio_save_iterate. */
  readSinceIterate: boolean;
  /** Request-style trace: the SET asked for and its recover state, until its outcome is seen. */
  request?: { target: MigState; recover: MigState; line: number; failed: boolean };
  /** Success-style trace: the recovery SET announced by an error_report line (its success is not traced). */
  recovering?: { target: MigState; index: number };
  source: boolean;
  destination: boolean;
}

/** Parses a QEMU trace log. Lines that are not trace or error_report lines are counted as other lines. */
export function parseQemuTrace(text: string, opts: QemuTraceOptions = {}): ParseResult {
  const out = new LogCollector();
  const lines = numberedLines(text);
  // Newer trees trace the queries themselves; then nothing is inferred from the pending/setup events.
  const tracesQueries = lines.some((l) => /vfio_query_(?:stop_copy|precopy)_size /.test(l.text));
  // 10.x traces each SET request and then the recorded state; 8.x/9.x trace successful SETs only.
  const requestStyle = lines.some((l) => /vfio_migration_set_state +\([^)]*\) new state /.test(l.text));
  // A protocol v1 log (QEMU 5.x-7.x) has other calls altogether; nothing in it maps to v2 events.
  const v1 = lines.find((l) => /vfio_(?:migration_probe|save_buffer|update_pending|save_pending) |vfio_migration_set_state +\([^)]*\) state \d+$/.test(l.text));
  if (v1) return { ok: false, problems: [{ line: v1.line, message: 'this is a trace of VFIO migration protocol v1 (QEMU 5.x-7.x, region based); the model is protocol v2' }] };
  const devices = new Map<string, DeviceView>();
  const pending: Pending[] = [];
  let multifdNoted = false;

  const view = (pid: string, name: string): DeviceView => {
    const key = `${pid}|${name}`;
    let d = devices.get(key);
    if (!d) {
      d = { pid, name, state: 'RUNNING', holdsFd: false, readSinceIterate: false, source: false, destination: false };
      devices.set(key, d);
    }
    return d;
  };
  const keyOf = (d: DeviceView) => `${d.pid}|${d.name}`;
  const emit = (d: DeviceView, line: number, call: Pending['call'], note?: string): number => {
    pending.push({ call, key: keyOf(d), line, note });
    return pending.length - 1;
  };
  /** A SET that succeeded: QEMU's cache and session follow it. */
  const setOk = (d: DeviceView, line: number, target: MigState, note?: string) => {
    const opens = (inSavingGroup(target) && !inSavingGroup(d.state)) || (target === 'RESUMING' && d.state !== 'RESUMING');
    emit(d, line, { call: 'set_state', target }, note);
    // A session that ends (STOP_COPY->STOP) leaves QEMU holding its fd until cleanup.
    if (opens) d.holdsFd = true;
    d.state = target;
    markSide(d, target);
  };
  /** Asking for a saving state makes a device the source, RESUMING the destination. */
  const markSide = (d: DeviceView, target: MigState) => {
    if (inSavingGroup(target)) d.source = true;
    if (target === 'RESUMING') d.destination = true;
  };
  const reset = (d: DeviceView, line: number) => {
    emit(d, line, { call: 'reset' });
    d.state = 'RUNNING';
  };

  type Handler = (a: string, d: DeviceView, line: number) => string | void;
  function handleFailure(f: Failure, pid: string, line: number): void {
    const d = view(pid, f.name);
    if (f.kind === 'out-of-sync') {
      // The SET succeeded and returned a data_fd while QEMU held one (SAVE-2); QEMU closed the
      // new fd. 10.x traced the SET (its recorded state came first); 8.x/9.x return before the
      // trace, so the SET is seen only as a VFIO_DEVICE_FEATURE whose target is not shown.
      if (!requestStyle) emit(d, line, { call: 'feature' }, 'a SET whose target is not traced returned a second data_fd');
      emit(d, line, { call: 'close' }, 'data_fd out of sync: QEMU closes the second data_fd');
      out.note(line, `${f.name}: data_fd out of sync: a SET returned a second data_fd while one was live`);
      return;
    }
    if (f.kind === 'set') {
      // The request failed; cancel a request-style pending outcome.
      if (d.request) d.request.failed = true;
      emit(d, line, { call: 'set_state', target: f.target, errno: f.errno });
      markSide(d, f.target);
      if (f.recover === 'ERROR') reset(d, line);
      else {
        // The recovery SET's success is not traced in success-style logs: record it now, and
        // turn it into a failure if the next error line says so.
        setOk(d, line, f.recover);
        d.recovering = { target: f.recover, index: pending.length - 1 };
      }
    } else {
      // "Failed setting device in recover state": the recovery SET failed, then a reset.
      if (d.recovering) {
        const p = pending[d.recovering.index];
        pending[d.recovering.index] = { ...p, call: { call: 'set_state', target: d.recovering.target, errno: f.errno }, line };
        d.recovering = undefined;
      } else out.note(line, `${f.name}: a failed recovery SET without the failed SET before it`);
      reset(d, line);
      d.request = undefined;
    }
  }

  const HANDLERS: Record<string, Handler> = {
    vfio_migration_set_state: (a, d, line) => {
      let m: RegExpExecArray | null;
      // ("state %d", protocol v1, was refused before the scan.)
      if ((m = /^ state (\w+)$/.exec(a))) {
        if (!isMigState(m[1])) return `unknown state '${m[1]}'`;
        d.recovering = undefined;
        setOk(d, line, m[1]);
        return;
      }
      if ((m = /^ new state (\w+), recover state (\w+)$/.exec(a))) {
        if (!isMigState(m[1]) || !isMigState(m[2])) return `unknown state in '${a.trim()}'`;
        if (d.request && !d.request.failed)
          out.note(d.request.line, `${d.name}: SET_STATE(${d.request.target}) requested and no outcome traced before the next request`);
        d.recovering = undefined;
        // QEMU traces the request before it returns early, without an ioctl, when the device
        // is already there (vfio_migration_set_state(), qemu/qemu 10.x).
        if (m[1] === d.state) {
          d.request = undefined;
          out.countInfo('vfio_migration_set_state (already in that state: no ioctl)');
          return;
        }
        d.request = { target: m[1], recover: m[2], line, failed: false };
        return;
      }
      return `cannot read '${a.trim()}' (known forms: 'state S', 'new state S, recover state R')`;
    },
    vfio_migration_set_device_state: (a, d, line) => {
      const m = /^ state (\w+)$/.exec(a);
      if (!m || !isMigState(m[1])) return `cannot read '${a.trim()}' (expected 'state S')`;
      const s = m[1];
      const rq = d.request;
      d.request = undefined;
      if (!rq) {
        if (s !== d.state) out.note(line, `${d.name}: QEMU records state ${s} without a traced SET`);
        d.state = s;
        return;
      }
      if (!rq.failed && s === rq.target) setOk(d, rq.line, s);
      else if (rq.failed) d.state = s; // the recovery (already recorded from the error line) or the reset
      else {
        // The SET failed and its error was not printed (QEMU may pass it up as an Error):
        // the recorded state says what followed, a reset (RUNNING after recover ERROR) or
        // the recovery SET.
        emit(d, rq.line, { call: 'set_state', target: rq.target, errno: 'unknown' });
        markSide(d, rq.target);
        if (s === 'RUNNING' && rq.recover === 'ERROR') reset(d, line);
        else {
          if (s !== rq.recover) out.note(line, `${d.name}: SET_STATE(${rq.target}, recover ${rq.recover}) requested, QEMU then records ${s}`);
          setOk(d, line, s);
        }
      }
      return;
    },
    vfio_save_block: (a, d, line) => {
      const m = ARGS.saveBlock.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'data_size N')`;
      d.source = true;
      d.readSinceIterate = true;
      emit(d, line, { call: 'read', bytes: Number(m[1]) });
      return;
    },
    vfio_save_block_precopy_empty_hit: (_a, d, line) => {
      d.source = true;
      d.readSinceIterate = true;
      emit(d, line, { call: 'read', errno: 'ENOMSG' });
    },
    vfio_save_iterate_empty_hit: (_a, d, line) => {
      d.source = true;
      d.readSinceIterate = true;
      emit(d, line, { call: 'read', empty: true });
    },
    vfio_save_iterate: (a, d, line) => {
      if (/^ data_size -?\d+$/.test(a)) {
        out.countUnknown('vfio_save_iterate (migration protocol v1)');
        return;
      }
      const m = ARGS.saveIterate.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'precopy initial size N precopy dirty size N')`;
      d.source = true;
      if (!d.readSinceIterate) emit(d, line, { call: 'read', empty: true }, 'vfio_save_iterate without vfio_save_block: read() returned 0 or ENOMSG');
      d.readSinceIterate = false;
      return;
    },
    vfio_save_complete_precopy: (a, d, line) => {
      d.source = true;
      const m = ARGS.completePrecopy.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'ret N' or nothing)`;
      if (m[1] !== undefined && Number(m[1]) !== 0) {
        out.note(line, `${d.name}: vfio_save_complete_precopy ret ${m[1]}: the STOP_COPY loop ended on an error that is not traced`);
        return;
      }
      emit(d, line, { call: 'read', empty: true }, 'the read that ended the STOP_COPY loop');
      return;
    },
    vfio_save_setup: (a, d, line) => {
      if (!/^(?: data buffer size (0x[0-9a-fA-F]+|\d+))?$/.test(a)) return `cannot read '${a.trim()}' (expected 'data buffer size N' or nothing)`;
      d.source = true;
      if (tracesQueries) return;
      emit(d, line, { call: 'data_size' }, 'vfio_save_setup queries MIG_DATA_SIZE (result not traced)');
      if (inPreCopy(d.state)) emit(d, line, { call: 'precopy_info' }, 'vfio_save_setup queries PRECOPY_INFO (result not traced)');
      return;
    },
    vfio_state_pending_exact: (a, d, line) => {
      const m = ARGS.pendingExact.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'precopy N postcopy N stopcopy size N precopy initial size N precopy dirty size N')`;
      d.source = true;
      if (tracesQueries) return;
      const stop = num(m[3]);
      emit(d, line, (stop === QEMU_UNKNOWN_STOP_COPY_SIZE ? { call: 'data_size', errno: 'unknown' } : { call: 'data_size', stop_copy_length: stop }));
      if (inPreCopy(d.state)) {
        const initial = num(m[4]);
        const dirty = num(m[5]);
        // QEMU zeroes both before the query, so 0/0 may be a failed query.
        emit(d, line, (initial === 0 && dirty === 0 ? { call: 'precopy_info' } : { call: 'precopy_info', initial_bytes: initial, dirty_bytes: dirty }));
      }
      return;
    },
    vfio_state_pending: (a, d) => {
      if (/ compatible /.test(a)) {
        out.countUnknown('vfio_state_pending (migration protocol v1)');
        return;
      }
      if (!/ exact \d, final \d$/.test(a)) return `cannot read '${a.trim()}'`;
      d.source = true;
      out.countInfo('vfio_state_pending');
      return;
    },
    vfio_query_precopy_size: (a, d, line) => {
      const m = ARGS.queryPrecopy.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'init N, dirty N, reinit B, ret R')`;
      d.source = true;
      const ret = Number(m[4]);
      emit(d, line, (ret < 0 ? { call: 'precopy_info', errno: errnoOfNumber(ret) } : { call: 'precopy_info', initial_bytes: num(m[1]), dirty_bytes: num(m[2]), reinit: m[3] !== '0' }));
      return;
    },
    vfio_query_stop_copy_size: (a, d, line) => {
      const m = ARGS.queryStopCopy.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'stopcopy size N ret R')`;
      const ret = Number(m[2]);
      emit(d, line, (ret < 0 ? { call: 'data_size', errno: errnoOfNumber(ret) } : { call: 'data_size', stop_copy_length: num(m[1]) }));
      return;
    },
    vfio_load_state_device_data: (a, d, line) => {
      if (/^ Offset /.test(a)) {
        out.countUnknown('vfio_load_state_device_data (migration protocol v1)');
        return;
      }
      const m = ARGS.loadData.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'size N ret R')`;
      d.destination = true;
      const ret = m[2] === undefined ? 0 : Number(m[2]);
      emit(d, line, (ret < 0 ? { call: 'write', errno: errnoOfNumber(ret) } : { call: 'write', bytes: num(m[1]) }));
      return;
    },
    vfio_save_cleanup: (_a, d, line) => {
      d.source = true;
      if (d.holdsFd) emit(d, line, { call: 'close' }, 'vfio_save_cleanup closes the data_fd');
      d.holdsFd = false;
    },
    vfio_load_cleanup: (_a, d, line) => {
      d.destination = true;
      if (d.holdsFd) emit(d, line, { call: 'close' }, 'vfio_load_cleanup closes the data_fd');
      d.holdsFd = false;
    },
    vfio_migration_init: (a, d, line) => {
      // 2026 trees: precopy_info_v2_used says the MIG_PRECOPY_INFOv2 opt-in SET succeeded
      // (vfio_migration_set_precopy_info_v2(); ENOTTY leaves it 0).
      const m = ARGS.migrationInit.exec(a);
      if (!m) return `cannot read '${a.trim()}' (expected 'mig_flags F, precopy_info_v2_used B, dirty_pages_supported B')`;
      if (m[2] !== '0') {
        d.source = true;
        emit(d, line, { call: 'opt_in' }, 'vfio_migration_init: precopy_info_v2_used');
      }
      return;
    },
    vfio_migration_realize: (_a, d, line) => {
      emit(d, line, { call: 'open' }, 'vfio_migration_realize');
    },
  };

  for (const { line, text: raw } of lines) {
    let rest = raw.trimEnd();
    let pid = '';
    const pm = PREFIX.exec(rest);
    if (pm) {
      pid = pm[1];
      rest = rest.slice(pm[0].length);
    }
    const failure = rest.startsWith('vfio_') ? null : errorReport(rest);
    if (failure) {
      handleFailure(failure, pid, line);
      continue;
    }
    const nm = NAME.exec(rest);
    if (!nm) {
      out.otherLines++;
      continue;
    }
    const event = nm[1];
    const args = nm[2] ?? '';
    const dm = /^ ?\(([^)]*)\)(.*)$/.exec(args);
    if (INFORMATIONAL.has(event)) {
      out.countInfo(event);
      continue;
    }
    if (MULTIFD.has(event)) {
      out.countInfo(event);
      if (!multifdNoted) {
        out.note(line, `${event}: multifd device-state transfer; its reads and writes run in threads whose calls are not all traced`);
        multifdNoted = true;
      }
      continue;
    }
    if (V1_ONLY.has(event)) {
      out.countUnknown(`${event} (migration protocol v1)`);
      continue;
    }
    const handler = HANDLERS[event];
    if (!handler) {
      out.countUnknown(event);
      continue;
    }
    if (!dm) {
      out.problem(line, `${event}: expected ' (DEVICE)' after the event name, got '${args}'`);
      continue;
    }
    const d = view(pid, dm[1]);
    const r = handler(dm[2], d, line);
    if (typeof r === 'string') out.problem(line, `${event} (${dm[1]}): ${r}`);
  }

  return assemble();

  function assemble(): ParseResult {
    for (const d of devices.values()) {
      if (d.request && !d.request.failed)
        out.note(d.request.line, `${d.name}: SET_STATE(${d.request.target}) requested and no outcome traced before the log ends`);
    }
    const sideOf = new Map<string, Side | null>();
    for (const [key, d] of devices) {
      if (opts.side) sideOf.set(key, opts.side);
      else if (d.source && d.destination) {
        out.problem(1, `device ${d.name}${d.pid ? ` (pid ${d.pid})` : ''} shows both saving and loading; split the log per QEMU process, keep the pid@time prefix (-msg timestamp=on), or give the side`);
        sideOf.set(key, null);
      } else sideOf.set(key, d.source ? 'source' : d.destination ? 'destination' : null);
    }
    for (const p of pending) {
      const side = sideOf.get(p.key);
      const d = devices.get(p.key)!;
      if (!side) {
        if (p.call.call === 'open') out.note(p.line, `${d.name}: realized but never migrated in this log`);
        else if (!(d.source && d.destination)) out.problem(p.line, `cannot tell whether device ${d.name} is the source or the destination (only '${p.call.call}' seen); give the side`);
        continue;
      }
      out.events.push({ ...(p.call as object), device: d.name, side, line: p.line, ...(p.note ? { note: p.note } : {}) } as ReplayEvent);
    }
    return out.result();
  }
}

type Failure =
  | { kind: 'set'; name: string; target: MigState; errno: Errno; recover: MigState }
  | { kind: 'recover'; name: string; errno: Errno }
  | { kind: 'out-of-sync'; name: string };

/** QEMU's error_report() lines about failed SETs (hw/vfio/migration.c, vfio_migration_set_state()). */
function errorReport(line: string): Failure | null {
  // error_report prefixes: "2026-12-02T14:45:01.123456Z " under -msg timestamp=on, then the program name.
  const t = line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '').replace(/^[\w./-]*qemu[\w./-]*: /, '');
  let m = /^(.+?): Failed setting device state to (\w+), err: (.*?)\. (?:Recover state is ERROR\. Resetting device|Setting device in recover state (\w+))\.?$/.exec(t);
  if (m) {
    const target = m[2];
    const recover = m[4] ?? 'ERROR';
    if (!isMigState(target) || !isMigState(recover)) return null;
    return { kind: 'set', name: m[1], target, errno: errnoOfText(m[3]), recover };
  }
  // QEMU 10.x: error_setg_errno(), "PREFIX. Recover state is ERROR. Resetting device: STRERROR".
  m = /^(.+?): Failed setting device state to (\w+)\. (?:Recover state is ERROR\. Resetting device|Setting device in recover state (\w+)): (.*)$/.exec(t);
  if (m) {
    const target = m[2];
    const recover = m[3] ?? 'ERROR';
    if (!isMigState(target) || !isMigState(recover)) return null;
    return { kind: 'set', name: m[1], target, errno: errnoOfText(m[4]), recover };
  }
  m = /^(.+?): Failed setting device in recover state, err: (.*?)\. Resetting device\.?$/.exec(t);
  if (m) return { kind: 'recover', name: m[1], errno: errnoOfText(m[2]) };
  m = /^(.+?): data_fd out of sync$/.exec(t);
  if (m) return { kind: 'out-of-sync', name: m[1] };
  return null;
}

// ---------------------------------------------------------------------------------------
// Export: events as a QEMU trace, for round-trip test data.

export interface QemuExportOptions {
  /** Which QEMU generation to imitate: `9` ("state %s", success-only tracing, hex-free sizes) or `10` (request + recorded state, queries traced). */
  readonly dialect?: '9' | '10';
  /** Add the `PID@SECONDS.MICROS:` prefix (QEMU's -msg timestamp=on), with this pid per side. */
  readonly prefix?: { readonly source: number; readonly destination: number };
}

/**
 * Writes events as the trace lines (and error_report lines) QEMU would print for them. Only
 * what QEMU traces survives: a successful read of n bytes is a vfio_save_block, an empty read
 * in PRE_COPY a vfio_save_iterate with no vfio_save_block before it, an empty read in
 * STOP_COPY vfio_save_complete_precopy; an EOF read after the first one, a read with data after
 * it, and calls QEMU never makes (GET_STATE, a second data_fd) cannot be written and are
 * returned in `lost` with their index.
 */
export function toQemuTrace(events: readonly ReplayEvent[], o: QemuExportOptions = {}): { text: string; lost: { index: number; why: string }[] } {
  const dialect = o.dialect ?? '9';
  const lines: string[] = [];
  const lost: { index: number; why: string }[] = [];
  let clock = 1_700_000_000_000_000;
  const state = new Map<string, MigState>();
  const pfx = (side: Side) => {
    if (!o.prefix) return '';
    clock += 1000;
    return `${o.prefix[side]}@${Math.floor(clock / 1e6)}.${String(clock % 1e6).padStart(6, '0')}:`;
  };
  const line = (e: ReplayEvent, name: string, args: string) => lines.push(`${pfx(e.side)}${name}  (${e.device})${args}`);
  const err = (e: ReplayEvent, text: string) => lines.push(`qemu-system-x86_64: ${e.device}: ${text}`);
  const strerror = (x: Errno | undefined) => (x && x !== 'unknown' ? ERRNO_TEXT[x] : 'Unknown error');
  events.forEach((e, index) => {
    const cur = state.get(`${e.side}|${e.device}`) ?? 'RUNNING';
    switch (e.call) {
      case 'open':
        line(e, 'vfio_migration_realize', '');
        return;
      case 'set_state':
        if (e.errno) {
          // QEMU's recover-to-ERROR form; the reset that follows is its own event.
          if (dialect === '10') line(e, 'vfio_migration_set_state', ` new state ${e.target}, recover state ERROR`);
          err(e, `Failed setting device state to ${e.target}, err: ${strerror(e.errno)}. Recover state is ERROR. Resetting device`);
          return;
        }
        if (dialect === '10') {
          line(e, 'vfio_migration_set_state', ` new state ${e.target}, recover state ${cur}`);
          line(e, 'vfio_migration_set_device_state', ` state ${e.target}`);
        } else line(e, 'vfio_migration_set_state', ` state ${e.target}`);
        state.set(`${e.side}|${e.device}`, e.target);
        return;
      case 'reset':
        // Only after a failed SET does QEMU reset; the error line above already says so.
        if (index === 0 || events[index - 1].call !== 'set_state' || !events[index - 1].errno) lost.push({ index, why: 'QEMU resets a device only after a failed SET' });
        state.set(`${e.side}|${e.device}`, 'RUNNING');
        if (dialect === '10') line(e, 'vfio_migration_set_device_state', ' state RUNNING');
        return;
      case 'read':
        if (e.errno === 'ENOMSG' && dialect === '10') line(e, 'vfio_save_block_precopy_empty_hit', '');
        else if (e.bytes !== undefined && e.bytes > 0 && !e.errno) line(e, 'vfio_save_block', ` data_size ${e.bytes}`);
        else if (inPreCopy(cur)) line(e, 'vfio_save_iterate', ' precopy initial size 0 precopy dirty size 0');
        else if (cur === 'STOP_COPY') line(e, 'vfio_save_complete_precopy', ' ret 0');
        else lost.push({ index, why: `QEMU reads only in PRE_COPY states and STOP_COPY, not ${cur}` });
        return;
      case 'write':
        line(e, 'vfio_load_state_device_data', ` size ${e.bytes ?? 0} ret ${e.errno ? -(e.errno === 'unknown' ? 5 : errnoNumber(e.errno)) : 0}`);
        return;
      case 'precopy_info':
        if (dialect === '10') {
          const ret = e.errno ? -(e.errno === 'unknown' ? 5 : errnoNumber(e.errno)) : 0;
          line(e, 'vfio_query_precopy_size', ` init ${e.initial_bytes ?? 0}, dirty ${e.dirty_bytes ?? 0}, reinit ${e.reinit ? 1 : 0}, ret ${ret}`);
        } else if (inPreCopy(cur)) {
          const i = e.errno ? 0 : e.initial_bytes ?? 0;
          const dty = e.errno ? 0 : e.dirty_bytes ?? 0;
          line(e, 'vfio_state_pending_exact', ` precopy ${i + dty} postcopy 0 stopcopy size ${QEMU_UNKNOWN_STOP_COPY_SIZE} precopy initial size ${i} precopy dirty size ${dty}`);
        } else lost.push({ index, why: `QEMU 9 queries PRECOPY_INFO only in PRE_COPY states, not ${cur}` });
        return;
      case 'data_size':
        if (dialect === '10') line(e, 'vfio_query_stop_copy_size', ` stopcopy size ${e.stop_copy_length ?? 0} ret ${e.errno ? -5 : 0}`);
        else lost.push({ index, why: 'QEMU 9 traces MIG_DATA_SIZE only together with PRECOPY_INFO (vfio_state_pending_exact)' });
        return;
      case 'close':
        line(e, e.side === 'source' ? 'vfio_save_cleanup' : 'vfio_load_cleanup', '');
        return;
      case 'opt_in':
        if (dialect === '10') line(e, 'vfio_migration_init', ' mig_flags 0x7, precopy_info_v2_used 1, dirty_pages_supported 1');
        else lost.push({ index, why: 'QEMU 9 has no MIG_PRECOPY_INFOv2 opt-in' });
        return;
      case 'get_state':
      case 'feature':
        lost.push({ index, why: `QEMU makes no ${e.call} call it traces` });
        return;
    }
  });
  return { text: lines.join('\n') + (lines.length ? '\n' : ''), lost };
}

const errnoNumber = (e: Exclude<Errno, 'unknown'>): number => ERRNO_NUMBER[e];
