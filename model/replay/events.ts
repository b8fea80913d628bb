// The observation a recorded migration log gives: one event per call a VMM made on a VFIO
// device or on its data_fd, with what the call returned as far as the log shows it.
//
// A log never shows the device's hidden state (its units, its session bookkeeping), only calls
// and results, and many logs show less than that: strace cannot decode VFIO_DEVICE_FEATURE's
// argument (so a SET_STATE is a `feature` event with no target), QEMU's trace does not print
// a read() that returned nothing, and so on. An event therefore states only what was seen: a
// field that is absent was not observed, and a replay must accept any value there. Each
// parser documents what it can and cannot fill in (docs/replay.md).
//
// The same type is migcheck's own JSON-lines format (one event per line, docs/replay.md), so
// the wire schema and the in-memory type are one declaration. Field names are the uAPI's
// (`data_fd`, `initial_bytes`, `dirty_bytes`, `stop_copy_length`) so that anyone can grep
// include/uapi/linux/vfio.h for them. Facts: SET-1..6 (SET_STATE), DATA-1..9 (data_fd),
// PRECOPY-1..7 (VFIO_MIG_GET_PRECOPY_INFO), SIZE-1..2 (MIG_DATA_SIZE), REINIT-3/4 (opt-in),
// ERR-4/6 (reset).

import { nearest } from '../../checker/names.js';
import { STATES, type MigState } from '../states.js';

/** Which end of the migration a device is on. */
export const SIDES = ['source', 'destination'] as const;
export type Side = (typeof SIDES)[number];

/**
 * The calls an event can record:
 * - `open`: the VMM obtained the device fd (VFIO_GROUP_GET_DEVICE_FD, or open() of the cdev);
 * - `close`: close() of the device fd or of a data_fd (`fd` says which when known);
 * - `reset`: VFIO_DEVICE_RESET;
 * - `set_state`: VFIO_DEVICE_FEATURE SET MIG_DEVICE_STATE (SET-1);
 * - `get_state`: VFIO_DEVICE_FEATURE GET MIG_DEVICE_STATE;
 * - `data_size`: VFIO_DEVICE_FEATURE GET MIG_DATA_SIZE (SIZE-1);
 * - `opt_in`: VFIO_DEVICE_FEATURE SET MIG_PRECOPY_INFOv2 (REINIT-3, REINIT-4);
 * - `feature`: a VFIO_DEVICE_FEATURE call whose feature and argument the log does not show
 *   (strace), so it may be any of the four above;
 * - `read`: read() on a source data_fd (DATA-1);
 * - `write`: write() on a destination data_fd (DATA-4);
 * - `precopy_info`: VFIO_MIG_GET_PRECOPY_INFO on a data_fd (PRECOPY-1).
 */
export const CALLS = [
  'open', 'close', 'reset', 'set_state', 'get_state', 'data_size', 'opt_in', 'feature', 'read', 'write', 'precopy_info',
] as const;
export type Call = (typeof CALLS)[number];

/**
 * Error numbers by their Linux names, as the uAPI text and strace print them. A log that says a
 * call failed without saying how gives `errno: 'unknown'`.
 */
export const ERRNOS = [
  'EPERM', 'ENOENT', 'EINTR', 'EIO', 'EBADF', 'EAGAIN', 'ENOMEM', 'EFAULT', 'EBUSY', 'ENODEV', 'EINVAL', 'ENOTTY',
  'ENOSPC', 'ENOMSG', 'ENODATA', 'EOPNOTSUPP', 'EOVERFLOW', 'unknown',
] as const;
export type Errno = (typeof ERRNOS)[number];

/** Linux x86-64/arm64 errno numbers (include/uapi/asm-generic/errno-base.h, errno.h), for logs that print -errno. */
export const ERRNO_NUMBER: Readonly<Record<Exclude<Errno, 'unknown'>, number>> = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EFAULT: 14, EBUSY: 16, ENODEV: 19,
  EINVAL: 22, ENOTTY: 25, ENOSPC: 28, ENOMSG: 42, ENODATA: 61, EOPNOTSUPP: 95, EOVERFLOW: 75,
};

/** glibc's strerror() text for each errno, for QEMU's error_report() lines ("err: Input/output error"). */
export const ERRNO_TEXT: Readonly<Record<Exclude<Errno, 'unknown'>, string>> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', EINTR: 'Interrupted system call',
  EIO: 'Input/output error', EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory', EFAULT: 'Bad address', EBUSY: 'Device or resource busy', ENODEV: 'No such device',
  EINVAL: 'Invalid argument', ENOTTY: 'Inappropriate ioctl for device', ENOSPC: 'No space left on device',
  ENOMSG: 'No message of desired type', ENODATA: 'No data available', EOPNOTSUPP: 'Operation not supported',
  EOVERFLOW: 'Value too large for defined data type',
};

/** The errno named by a number (5 or -5), or 'unknown'. */
export function errnoOfNumber(n: number): Errno {
  const k = Math.abs(n);
  for (const [name, v] of Object.entries(ERRNO_NUMBER)) if (v === k) return name as Errno;
  return 'unknown';
}

/** The errno whose strerror() text this is, or 'unknown'. */
export function errnoOfText(text: string): Errno {
  const t = text.trim();
  for (const [name, v] of Object.entries(ERRNO_TEXT)) if (v === t) return name as Errno;
  return 'unknown';
}

/** What every event carries. */
interface EventBase {
  /** The device's name as the log gives it: a PCI address (0000:17:00.1), a cdev name, `fd12`. */
  readonly device: string;
  readonly side: Side;
  /** The call failed with this errno; when present, no result field is. */
  readonly errno?: Errno;
  /** The 1-based line of the log this event came from (set by the parsers, not part of the JSON-lines input). */
  readonly line?: number;
  /** Free text from the log (a timestamp, QEMU's function name); never interpreted. */
  readonly note?: string;
}

/** One observed call. A result field that is absent was not observed. */
export type ReplayEvent =
  | (EventBase & { readonly call: 'open'; readonly fd?: number })
  | (EventBase & { readonly call: 'close'; readonly fd?: number })
  | (EventBase & { readonly call: 'reset' })
  /** `data_fd`: the fd that came back; null when the kernel returned -1 (no new session). */
  | (EventBase & { readonly call: 'set_state'; readonly target: MigState; readonly data_fd?: number | null })
  | (EventBase & { readonly call: 'get_state'; readonly state?: MigState })
  | (EventBase & { readonly call: 'data_size'; readonly stop_copy_length?: number })
  | (EventBase & { readonly call: 'opt_in' })
  | (EventBase & { readonly call: 'feature' })
  /**
   * `bytes`: what read() returned (0 = end of stream, DATA-7); `empty`: it returned no data but
   * the log cannot tell 0 from ENOMSG (QEMU maps both to "nothing for now"); `record`: the
   * model's record, in traces made from the model.
   */
  | (EventBase & { readonly call: 'read'; readonly fd?: number; readonly bytes?: number; readonly empty?: true; readonly record?: string })
  | (EventBase & { readonly call: 'write'; readonly fd?: number; readonly bytes?: number; readonly record?: string })
  | (EventBase & {
      readonly call: 'precopy_info';
      readonly fd?: number;
      readonly initial_bytes?: number;
      readonly dirty_bytes?: number;
      readonly reinit?: boolean;
    });

export type EventOf<C extends Call> = Extract<ReplayEvent, { call: C }>;

/** An event before the parser knows its device and side: what the log line itself says. */
export type Observation = ReplayEvent extends infer E ? (E extends ReplayEvent ? Omit<E, 'device' | 'side' | 'line'> : never) : never;

/** The keys each call may carry besides the common ones, with the kind of value each takes. */
type FieldKind = 'fd' | 'count' | 'state' | 'fd-or-null' | 'true' | 'bool' | 'text';
const COMMON_FIELDS: Readonly<Record<string, FieldKind | 'device' | 'side' | 'call' | 'errno'>> = {
  device: 'device', side: 'side', call: 'call', errno: 'errno', note: 'text',
};
export const CALL_FIELDS: Readonly<Record<Call, Readonly<Record<string, FieldKind>>>> = {
  open: { fd: 'fd' },
  close: { fd: 'fd' },
  reset: {},
  set_state: { target: 'state', data_fd: 'fd-or-null' },
  get_state: { state: 'state' },
  data_size: { stop_copy_length: 'count' },
  opt_in: {},
  feature: {},
  read: { fd: 'fd', bytes: 'count', empty: 'true', record: 'text' },
  write: { fd: 'fd', bytes: 'count', record: 'text' },
  precopy_info: { fd: 'fd', initial_bytes: 'count', dirty_bytes: 'count', reinit: 'bool' },
};
/** Fields that state a successful result: none of them may appear with `errno`. */
const RESULT_FIELDS = new Set(['data_fd', 'state', 'stop_copy_length', 'bytes', 'empty', 'initial_bytes', 'dirty_bytes', 'reinit']);

/** `; did you mean 'x'?` for the nearest candidate within a third of the word's length (at least 2), else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = nearest(word, candidates, Math.max(2, Math.floor(word.length / 3)));
  return best !== undefined ? `; did you mean '${best}'?` : '';
}

const oneOf = (what: string, v: string, known: readonly string[]) =>
  `${what} '${v}' is not one of ${known.join(', ')}${didYouMean(v, known)}`;

/**
 * Checks that a parsed JSON value is a ReplayEvent: known call, known keys only (did-you-mean
 * on a mistyped one), values of the right kind, no result field beside `errno`. Returns the
 * event, or the first problem as a message that names the key.
 */
export function validateEvent(v: unknown): { ok: true; event: ReplayEvent } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`an event is a JSON object, not ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}`);
  const o = v as Record<string, unknown>;
  if (!('call' in o)) return fail(`missing key 'call' (one of ${CALLS.join(', ')})`);
  if (typeof o.call !== 'string' || !(CALLS as readonly string[]).includes(o.call)) return fail(oneOf('call', String(o.call), CALLS));
  const call = o.call as Call;
  const fields = CALL_FIELDS[call];
  const allowed = [...Object.keys(COMMON_FIELDS), ...Object.keys(fields)];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      const elsewhere = CALLS.filter((c) => k in CALL_FIELDS[c]);
      const hint = didYouMean(k, allowed) || (elsewhere.length ? ` (it belongs to ${elsewhere.join(', ')})` : '');
      return fail(`unknown key '${k}' for call ${call}${hint}; known keys: ${allowed.join(', ')}`);
    }
  }
  if (typeof o.device !== 'string' || o.device === '') return fail(`'device' must be a non-empty string (the device's name)`);
  if (typeof o.side !== 'string' || !(SIDES as readonly string[]).includes(o.side)) return fail(oneOf('side', String(o.side), SIDES));
  if ('errno' in o) {
    if (typeof o.errno !== 'string' || !(ERRNOS as readonly string[]).includes(o.errno)) return fail(oneOf('errno', String(o.errno), ERRNOS));
    const both = Object.keys(o).filter((k) => RESULT_FIELDS.has(k));
    if (both.length) return fail(`'errno' says the call failed, so '${both[0]}' (a result) cannot be given too`);
  }
  if ('note' in o && typeof o.note !== 'string') return fail(`'note' must be a string`);
  if (call === 'set_state' && !('target' in o)) return fail(`set_state needs 'target' (one of ${STATES.join(', ')})`);
  for (const [k, kind] of Object.entries(fields)) {
    if (!(k in o)) continue;
    const x = o[k];
    const isCount = typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
    switch (kind) {
      case 'fd':
        if (!isCount) return fail(`'${k}' must be a file descriptor number (an integer >= 0), not ${JSON.stringify(x)}`);
        break;
      case 'fd-or-null':
        if (x !== null && !isCount) return fail(`'${k}' must be a file descriptor number or null (no fd came back), not ${JSON.stringify(x)}`);
        break;
      case 'count':
        if (!isCount) return fail(`'${k}' must be an integer >= 0, not ${JSON.stringify(x)}`);
        break;
      case 'state':
        if (typeof x !== 'string' || !(STATES as readonly string[]).includes(x)) return fail(oneOf(`'${k}'`, String(x), STATES));
        break;
      case 'true':
        if (x !== true) return fail(`'${k}' can only be true`);
        break;
      case 'bool':
        if (typeof x !== 'boolean') return fail(`'${k}' must be true or false`);
        break;
      case 'text':
        if (typeof x !== 'string') return fail(`'${k}' must be a string`);
        break;
    }
  }
  if (call === 'read' && ('empty' in o) && ('bytes' in o)) return fail(`a read is either 'empty' (0 or ENOMSG, unknown which) or has 'bytes', not both`);
  return { ok: true, event: o as unknown as ReplayEvent };
}

/** An event as a line of an ioctl log: `source 0000:17:00.1: SET_STATE(STOP_COPY) = 0, data_fd=45`. */
export function showEvent(e: ReplayEvent): string {
  const fail = e.errno ? ` = -1 ${e.errno}` : '';
  const fdArg = 'fd' in e && e.fd !== undefined ? String(e.fd) : 'data_fd';
  let call: string;
  switch (e.call) {
    case 'open': call = `open${e.errno ? fail : e.fd !== undefined ? ` = ${e.fd}` : ''}`; break;
    case 'close': call = `close(${e.fd ?? '?'})${fail}`; break;
    case 'reset': call = `RESET${fail}`; break;
    case 'set_state':
      call = `SET_STATE(${e.target})${fail || (e.data_fd === undefined ? ' = 0' : e.data_fd === null ? ' = 0, data_fd=-1' : ` = 0, data_fd=${e.data_fd}`)}`;
      break;
    case 'get_state': call = `GET_STATE${fail || (e.state ? ` = ${e.state}` : '')}`; break;
    case 'data_size': call = `DEVICE_FEATURE(GET, MIG_DATA_SIZE)${fail || (e.stop_copy_length !== undefined ? ` = {stop_copy_length: ${e.stop_copy_length}}` : '')}`; break;
    case 'opt_in': call = `DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2)${fail || ' = 0'}`; break;
    case 'feature': call = `DEVICE_FEATURE(?)${fail || ' = 0'}`; break;
    case 'read':
      call = `read(${fdArg})${fail || (e.empty ? ' = 0 or -1 ENOMSG' : e.bytes !== undefined ? ` = ${e.bytes}` : '')}${e.record ? ` [${e.record}]` : ''}`;
      break;
    case 'write': call = `write(${fdArg})${fail || (e.bytes !== undefined ? ` = ${e.bytes}` : '')}${e.record ? ` [${e.record}]` : ''}`; break;
    case 'precopy_info': {
      const known = e.initial_bytes !== undefined || e.dirty_bytes !== undefined;
      const ans = known ? ` = {initial_bytes: ${e.initial_bytes ?? '?'}, dirty_bytes: ${e.dirty_bytes ?? '?'}${e.reinit ? ', flags: REINIT' : ''}}` : '';
      call = `PRECOPY_INFO(${fdArg})${fail || ans}`;
      break;
    }
  }
  return `${e.side} ${e.device}: ${call}`;
}

/** `MigState` guard for parsers. */
export const isMigState = (s: string): s is MigState => (STATES as readonly string[]).includes(s);
