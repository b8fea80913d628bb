// The stable JSON document for one check (documented in docs/cli.md). Version 1:
//   { migcheck: 1, spec: {name, file?, constants}, status, exitCode, stats,
//     violation?: {kind, name, message, clause?, level?, doc?},
//     error?: {message, phase, action?, param?, name?},
//     reason? (incomplete), simulation? (--simulate), neverFired (actions that never fired),
//     coverage? (--coverage: {detailed, initial, actions: [{action, param?, label, enabled, fired, distinct}],
//     neverFired, properties: [{name, kind, evaluated, premise?, consequence?}]}), trace: [{index, action, param?, label, state, changed}], reproduce }
// `trace` is the counterexample (violation) or the path to the failing state (error), else [].

import type { CheckResult } from '../result.js';
import { canonical, validate } from '../schema.js';
import type { RunInfo } from './text.js';

export function toJson(info: RunInfo, r: CheckResult, exitCode: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    migcheck: 1,
    spec: { name: info.spec, file: info.file, constants: info.constants },
    status: r.status,
    exitCode,
    stats: r.stats,
  };
  let trace: readonly { action: string; param?: unknown; label: string; state: unknown; changed: string[] }[] = [];
  if (r.status === 'violation') {
    const { trace: tr, ...v } = r.violation;
    doc.violation = v;
    trace = tr;
  } else if (r.status === 'error') {
    const { trace: tr, stack: _stack, ...e } = r.error;
    doc.error = e;
    trace = tr;
  } else if (r.status === 'incomplete') {
    doc.reason = r.reason;
    if (r.detail !== undefined) doc.detail = r.detail;
  }
  if (r.simulation) doc.simulation = r.simulation;
  // The table with --coverage; the actions that never fired in every document.
  if (r.coverage) doc.neverFired = r.coverage.neverFired;
  if (info.coverage && r.coverage) doc.coverage = r.coverage;
  // Sets as the engine stores them: members in domain order, each once (a recipe may leave
  // them in push order). A value outside its domain (the last state of a TypeOK trace) is
  // shown as it was.
  doc.trace = trace.map((s, index) => ({ index, ...s, state: validate(info.schema, s.state) === null ? canonical(info.schema, s.state) : s.state }));
  doc.reproduce = info.reproduce;
  return doc;
}
