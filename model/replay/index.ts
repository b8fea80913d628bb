// Recorded migration logs as events (docs/replay.md): the event type, one parser per log
// format, and exporters from events back to each format. The replay itself (matching events
// against the model's successors) is checker/explore/validate.ts; run.ts and validate.ts here
// are its VFIO adapters.

import { didYouMean, type ReplayEvent, type Side } from './events.js';
import { parseJsonl, toJsonl } from './jsonl.js';
import { parseQemuTrace, toQemuTrace, type QemuExportOptions } from './qemu.js';
import { parseStrace, toStrace, type StraceOptions } from './strace.js';
import { parseTraceJson, parseItf, eventsFromSteps } from './trace.js';
import type { ParseResult } from './result.js';

export * from './events.js';
export * from './result.js';
export { uapiCallsFor, UNOBSERVED_CALLS } from './calls.js';
export { vfioObserver, compatible, modelKind, QEMU_UNTRACED } from './validate.js';
export type { MatchOptions, ModelKind } from './validate.js';
export { splitDevices, replayDevice, explainDeparture } from './run.js';
export type { DeviceLog, DeviceVerdict, Explanation, ReplayRun, ReplayDeviceOptions } from './run.js';
export { parseJsonl, toJsonl } from './jsonl.js';
export { parseQemuTrace, toQemuTrace, QEMU_UNKNOWN_STOP_COPY_SIZE } from './qemu.js';
export type { QemuTraceOptions, QemuExportOptions } from './qemu.js';
export { parseStrace, toStrace, VFIO_IOCTL, STRACE_NAMES } from './strace.js';
export type { StraceOptions } from './strace.js';
export { parseTraceJson, parseItf, readTrace, eventsFromSteps, RECORD_BYTES } from './trace.js';
export type { TraceStepLabel, TraceDocument } from './trace.js';

/** The log formats, by the name `--log-format` will take. */
export const LOG_FORMATS = ['qemu', 'strace', 'jsonl', 'json', 'itf'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogOptions {
  /** qemu, strace: the side of every device (one process's log), or of each device by name (strace). */
  readonly side?: Side | Readonly<Record<string, Side>>;
  /** strace: device names by fd, extra data fds. */
  readonly devices?: StraceOptions['devices'];
  readonly dataFds?: StraceOptions['dataFds'];
}

/** `'qemu-trace' is not a log format (known: ...); did you mean 'qemu'?`, or null when it is one. */
export function logFormatProblem(name: string): string | null {
  if ((LOG_FORMATS as readonly string[]).includes(name)) return null;
  return `'${name}' is not a log format (known: ${LOG_FORMATS.join(', ')})${didYouMean(name, LOG_FORMATS)}`;
}

/**
 * Guesses a log's format from its first meaningful line: a JSON document (`{` then `"migcheck"`
 * or `"#meta"`), JSON lines (`{"` on one line), a QEMU trace line (`vfio_...  (`, with or
 * without `PID@TIME:`), an strace line (`name(`), or null.
 */
export function detectFormat(text: string): LogFormat | null {
  const first = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
  if (!first) return null;
  if (first === '{' || first.startsWith('{ ')) return /"#meta"/.test(text.slice(0, 2000)) ? 'itf' : 'json';
  if (first.startsWith('{"')) {
    if (/^\{"migcheck"/.test(first)) return 'json';
    if (/^\{"#meta"/.test(first)) return 'itf';
    return 'jsonl';
  }
  if (/^(?:\d+@\d+\.\d+:)?vfio_\w+/.test(first)) return 'qemu';
  if (/^(?:\[pid\s+\d+\] |\d+ +)?(?:[\d:.]+ )?\w+\(/.test(first)) return 'strace';
  return null;
}

/** Parses a log in the given format. */
export function parseLog(format: LogFormat, text: string, o: LogOptions = {}): ParseResult {
  switch (format) {
    case 'qemu': {
      if (o.side !== undefined && typeof o.side !== 'string') return { ok: false, problems: [{ line: 1, message: 'a QEMU trace takes one side for all devices, not one per device' }] };
      return parseQemuTrace(text, { side: o.side });
    }
    case 'strace':
      return parseStrace(text, { side: o.side, devices: o.devices, dataFds: o.dataFds });
    case 'jsonl':
      return parseJsonl(text);
    case 'json':
      return parseTraceJson(text);
    case 'itf':
      return parseItf(text);
  }
}

/** Writes events in a format; the formats that lose information say what in `lost` (qemu) or by design (strace: one side, no feature decoding). */
export function exportLog(format: Exclude<LogFormat, 'json' | 'itf'>, events: readonly ReplayEvent[], o: { side?: Side; qemu?: QemuExportOptions } = {}): string {
  switch (format) {
    case 'jsonl':
      return toJsonl(events);
    case 'qemu':
      return toQemuTrace(o.side ? events.filter((e) => e.side === o.side) : events, o.qemu).text;
    case 'strace':
      return toStrace(events, o.side ?? 'source');
  }
}

