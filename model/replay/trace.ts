// migcheck's own traces as logs: the JSON report (`check --format json`, checker/report/json.ts)
// and the ITF trace (`--format itf`, checker/report/itf.ts). Both carry, for each step, the
// action and its label; the VFIO models label every uAPI call with the ioctl-log line that
// model/datapath/uapi.ts renders (showSet, showSrcRead, showSrcPrecopyInfo, showDstWrite) or that the
// user models write (DEVICE_FEATURE(...), RESET, close(N)), prefixed with `src: ` or `dst: `.
// This file reads those lines back into events. Steps that are not uAPI calls — the device's
// own steps (DEVICE_ACTIONS in model/datapath/migration.ts), QEMU's internal decisions (`qemu: ...`,
// INIT_DATA_SENT) — are what a log cannot show, so they give no event and are counted as
// informational by action name.
//
// Devices: the migration model has one source and one destination, named `src` and `dst`;
// traces of the control-only model of earlier releases (test/fixtures/replay/traces/fsm-*) have
// one device, named `dev`, taken as the source.
// A SET_STATE that "never returns" (a walk that loops) ends the observable log there: the
// parser stops and notes it.

import { isMigState, ERRNOS, type Errno, type ReplayEvent, type Side } from './events.js';
import { LogCollector, type ParseResult } from './result.js';
import { DEVICE_ACTIONS } from '../datapath/migration.js';

/** The step shape both trace formats give. */
export interface TraceStepLabel {
  readonly action: string;
  readonly label: string;
}

/** Actions of the models that are not uAPI calls. */
const INTERNAL_ACTIONS = new Set<string>(['Init', ...DEVICE_ACTIONS]);

const SIDE_OF: Readonly<Record<string, { device: string; side: Side }>> = {
  src: { device: 'src', side: 'source' },
  dst: { device: 'dst', side: 'destination' },
};
const CONTROL_DEVICE = { device: 'dev', side: 'source' as Side };

const asErrno = (s: string): Errno => ((ERRNOS as readonly string[]).includes(s) ? (s as Errno) : 'unknown');

/** `initial unit 0 v0` from `[initial unit 0 v0]`. */
const recordText = (s: string) => s.replace(/^\[|\]$/g, '');

type Parsed = { kind: 'event'; event: Omit<ReplayEvent, 'device' | 'side'> } | { kind: 'internal' } | { kind: 'hang' } | { kind: 'bad'; why: string };

/** One call as a label renders it (without the side prefix and QEMU's `  (function)` suffix). */
function parseCall(text: string): Parsed {
  let m: RegExpExecArray | null;
  const ev = (event: Record<string, unknown>): Parsed => ({ kind: 'event', event: event as never });
  if ((m = /^SET_STATE\((\w+)\) (.*)$/.exec(text))) {
    const target = m[1];
    if (!isMigState(target)) return { kind: 'bad', why: `unknown state '${target}'` };
    const rest = m[2];
    if (rest.startsWith('never returns')) return { kind: 'hang' };
    if ((m = /^= -1 (\w+)/.exec(rest))) return ev({ call: 'set_state', target, errno: asErrno(m[1]) });
    if ((m = /^= 0, data_fd=(?:fd)?(\d+)/.exec(rest))) return ev({ call: 'set_state', target, data_fd: Number(m[1]) });
    if (/^= 0\b/.test(rest)) return ev({ call: 'set_state', target, data_fd: null });
    return { kind: 'bad', why: `cannot read the result of SET_STATE(${target}): '${rest}'` };
  }
  if ((m = /^GET_STATE = (\w+)$/.exec(text))) {
    if (!isMigState(m[1])) return { kind: 'bad', why: `unknown state '${m[1]}'` };
    return ev({ call: 'get_state', state: m[1] });
  }
  // `RESET`, or `RESET = 0 (device in RUNNING; …)` as the models label it now.
  if (text === 'RESET' || /^RESET = 0\b/.test(text)) return ev({ call: 'reset' });
  if ((m = /^close\((?:fd)?(\d+)\)$/.exec(text))) return ev({ call: 'close', fd: Number(m[1]) });
  if ((m = /^read\((\d+)\) = (.*)$/.exec(text))) {
    const fd = Number(m[1]);
    const r = m[2];
    if (r === '0') return ev({ call: 'read', fd, bytes: 0 });
    if ((m = /^-1 (\w+)$/.exec(r))) return ev({ call: 'read', fd, errno: asErrno(m[1]) });
    if (/^\[.*\]$/.test(r)) return ev({ call: 'read', fd, bytes: RECORD_BYTES, record: recordText(r) });
    return { kind: 'bad', why: `cannot read the result of read(): '${r}'` };
  }
  if ((m = /^write\((\d+), (\[[^\]]*\])\) = (.*)$/.exec(text))) {
    const fd = Number(m[1]);
    const record = recordText(m[2]);
    if (m[3] === 'ok') return ev({ call: 'write', fd, bytes: RECORD_BYTES, record });
    const e = /^-1 (\w+)$/.exec(m[3]);
    if (e) return ev({ call: 'write', fd, errno: asErrno(e[1]), record });
    return { kind: 'bad', why: `cannot read the result of write(): '${m[3]}'` };
  }
  if ((m = /^PRECOPY_INFO\((\d+)\) = (.*)$/.exec(text))) {
    const fd = Number(m[1]);
    const r = m[2];
    const e = /^-1 (\w+)$/.exec(r);
    if (e) return ev({ call: 'precopy_info', fd, errno: asErrno(e[1]) });
    const a = /^\{initial_bytes: (\d+), dirty_bytes: (\d+)(, flags: REINIT)?\}$/.exec(r);
    if (a) return ev({ call: 'precopy_info', fd, initial_bytes: Number(a[1]), dirty_bytes: Number(a[2]), reinit: a[3] !== undefined });
    return { kind: 'bad', why: `cannot read the result of PRECOPY_INFO: '${r}'` };
  }
  if ((m = /^DEVICE_FEATURE\(SET, MIG_PRECOPY_INFOv2\) = (.*)$/.exec(text))) {
    const e = /^-1 (\w+)$/.exec(m[1]);
    return ev(e ? { call: 'opt_in', errno: asErrno(e[1]) } : { call: 'opt_in' });
  }
  if ((m = /^DEVICE_FEATURE\(GET, MIG_DATA_SIZE\) = \{stop_copy_length: (\d+)\}/.exec(text))) return ev({ call: 'data_size', stop_copy_length: Number(m[1]) });
  // QEMU-like steps that make no call: "(no PRE_COPY: no opt-in)", "INIT_DATA_SENT received: ...".
  if (/^\(no /.test(text) || /^INIT_DATA_SENT/.test(text)) return { kind: 'internal' };
  return { kind: 'bad', why: `'${text}' is not a uAPI call migcheck knows` };
}

/**
 * The bytes a model record stands for when a trace is exported to a format that counts bytes
 * (QEMU's vfio_save_block, strace's read). The model's records are abstract; any positive size
 * would do, this one is a page.
 */
export const RECORD_BYTES = 4096;

/** Events from trace steps (index 0, the initial state, is skipped by its action `Init`). */
export function eventsFromSteps(steps: readonly TraceStepLabel[]): ParseResult {
  const out = new LogCollector();
  steps.forEach((st, index) => {
    const line = index;
    if (INTERNAL_ACTIONS.has(st.action)) {
      if (st.action !== 'Init') out.countInfo(st.action);
      return;
    }
    let label = st.label;
    let who = CONTROL_DEVICE;
    const sm = /^(src|dst|qemu): /.exec(label);
    if (sm) {
      if (sm[1] === 'qemu') {
        out.countInfo(st.action);
        return;
      }
      who = SIDE_OF[sm[1]];
      label = label.slice(sm[0].length);
    }
    // "SET_STATE(STOP) = 0  (vfio_save_cleanup); close(3)": QEMU's function in two-space
    // parentheses, several calls joined by "; ".
    const parts = label.split(/; (?=[A-Za-z_]+\()/).map((p) => p.replace(/ {2}\(.*\)$/, '').trim());
    for (const part of parts) {
      const p = parseCall(part);
      switch (p.kind) {
        case 'event':
          out.events.push({ ...(p.event as object), device: who.device, side: who.side, line, note: st.action } as ReplayEvent);
          break;
        case 'internal':
          out.countInfo(st.action);
          break;
        case 'hang':
          out.note(line, `step ${index} (${st.action}): SET_STATE never returns; the log ends there`);
          break;
        case 'bad':
          out.problem(line, `step ${index} (${st.action}): ${p.why}`);
          break;
      }
    }
  });
  return out.result();
}

/** A migcheck trace read back: its steps, and the spec and constants that made it (when it says). */
export type TraceDocument =
  | { readonly ok: true; readonly steps: readonly TraceStepLabel[]; readonly specFile?: string; readonly constants?: Readonly<Record<string, string | number | boolean>> }
  | { readonly ok: false; readonly problems: readonly { line: number; message: string }[] };

/** Reads a `check --format json` report (checker/report/json.ts, version 1) or an ITF trace (checker/report/itf.ts). */
export function readTrace(text: string): TraceDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ line: lineOfJsonError(text, e as Error), message: `not JSON: ${(e as Error).message}` }] };
  }
  const d = doc as { migcheck?: unknown; trace?: unknown; states?: unknown; '#meta'?: unknown; spec?: { file?: unknown; constants?: unknown } };
  if (typeof d !== 'object' || d === null) return badDoc('a migcheck JSON report or ITF trace is an object');
  if ('states' in d || '#meta' in d) return stepsOfItf(d);
  if (d.migcheck !== 1) return badDoc(`not a migcheck JSON report (version 1): key 'migcheck' is ${JSON.stringify(d.migcheck)}; an ITF trace has '#meta' and 'states'`);
  if (!Array.isArray(d.trace)) return badDoc(`the report has no 'trace' array (a run without a counterexample has nothing to replay)`);
  const steps: TraceStepLabel[] = [];
  for (const [i, s] of (d.trace as unknown[]).entries()) {
    const st = s as { action?: unknown; label?: unknown };
    if (typeof st?.action !== 'string' || typeof st.label !== 'string') return badDoc(`trace[${i}] has no string 'action' and 'label'`);
    steps.push({ action: st.action, label: st.label });
  }
  const specFile = typeof d.spec?.file === 'string' ? d.spec.file : undefined;
  const constants = typeof d.spec?.constants === 'object' && d.spec.constants !== null ? (d.spec.constants as Record<string, string | number | boolean>) : undefined;
  return { ok: true, steps, specFile, constants };
}

/** The events of a `check --format json` document (checker/report/json.ts, version 1). */
export function parseTraceJson(text: string): ParseResult {
  const t = readTrace(text);
  return t.ok ? eventsFromSteps(t.steps) : { ok: false, problems: t.problems };
}

/** The events of an ITF trace (checker/report/itf.ts): each state's `#meta` holds action and label. */
export function parseItf(text: string): ParseResult {
  return parseTraceJson(text);
}

function stepsOfItf(doc: unknown): TraceDocument {
  const d = doc as { states?: unknown; '#meta'?: { source?: unknown } };
  if (typeof d !== 'object' || d === null || !Array.isArray(d.states)) return badDoc(`not an ITF trace: no 'states' array`);
  const steps: TraceStepLabel[] = [];
  for (const [i, s] of (d.states as unknown[]).entries()) {
    const meta = (s as { '#meta'?: { action?: unknown; label?: unknown } })?.['#meta'];
    if (typeof meta?.action !== 'string' || typeof meta.label !== 'string')
      return badDoc(`states[${i}] has no '#meta' with 'action' and 'label' (an ITF trace from another tool cannot be mapped to calls)`);
    steps.push({ action: meta.action, label: meta.label });
  }
  const source = d['#meta']?.source;
  return { ok: true, steps, specFile: typeof source === 'string' ? source : undefined };
}

const badDoc = (message: string): TraceDocument => ({ ok: false, problems: [{ line: 1, message }] });


/** The line of a JSON.parse error ("at position 123"), else 1. */
function lineOfJsonError(text: string, e: Error): number {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return 1;
  return text.slice(0, Number(m[1])).split('\n').length;
}
