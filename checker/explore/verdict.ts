// A failure as a strategy meets it (a discriminated union), and the one place that turns it
// into a result: the path to the offending state is rebuilt from the parent pointers, the
// trace replayed with the same Successors, and the violation confirmed on the replay.

import type { ParentStore } from '../store/parents.js';
import type { CheckResult, EvalError, IncompleteReason, Stats, Violation } from '../result.js';
import type { Phase, Successors } from './successors.js';
import { buildTrace, replay } from './trace.js';

/** Where a failure shows: at a stored state, on a step from a stored state, or at an initial state not stored. */
export type Site =
  | { readonly at: 'state'; readonly id: number }
  | { readonly at: 'step'; readonly parent: number; readonly choice: number }
  | { readonly at: 'init'; readonly index: number };

/**
 * A failure as a search meets it. `generated` is the count a one-step-at-a-time search has
 * when it meets it.
 */
export type Failure =
  | { readonly kind: 'invariant'; readonly name: string; readonly id: number; readonly generated: number }
  | { readonly kind: 'TypeOK'; readonly message: string; readonly state: unknown; readonly site: Exclude<Site, { at: 'state' }>; readonly generated: number }
  | { readonly kind: 'action'; readonly name: string; readonly parent: number; readonly choice: number; readonly generated: number }
  | { readonly kind: 'deadlock'; readonly id: number; readonly generated: number }
  | { readonly kind: 'error'; readonly phase: Phase; readonly name?: string; readonly error: unknown; readonly site: Site; readonly generated: number }
  | { readonly kind: 'incomplete'; readonly reason: IncompleteReason; readonly generated: number; readonly detail?: string };

/** Turns a failure into a result with a replayed trace. */
export function verdict<S>(succ: Successors<S>, parents: ParentStore, f: Failure, stats: Stats): CheckResult<S> {
  const inst = succ.inst;
  switch (f.kind) {
    case 'incomplete':
      return f.detail === undefined ? { status: 'incomplete', reason: f.reason, stats } : { status: 'incomplete', reason: f.reason, detail: f.detail, stats };
    case 'error': {
      const s = f.site;
      const path = s.at === 'state' ? parents.path(s.id) : s.at === 'init' ? [s.index] : parents.path(s.parent);
      return { status: 'error', error: evalError(succ, path, s.at === 'step' ? s.choice : undefined, f), stats };
    }
  }
  const full =
    f.kind === 'invariant' || f.kind === 'deadlock' ? parents.path(f.id)
    : f.kind === 'action' ? [...parents.path(f.parent), f.choice]
    : f.site.at === 'init' ? [f.site.index]
    : [...parents.path(f.site.parent), f.site.choice];
  const rep = replay(succ, full, f.kind === 'TypeOK' ? f.state : undefined);
  if (!rep.ok) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: rep.message, trace: buildTrace(inst, full.slice(0, rep.states.length), rep.states) as never };
    return { status: 'violation', violation: v, stats };
  }
  const trace = buildTrace(inst, full, rep.states);
  const mismatch = confirm(succ, f, rep.states);
  if (mismatch) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: mismatch, trace: trace as never };
    return { status: 'violation', violation: v, stats };
  }
  const last = trace[trace.length - 1].label;
  const named = f.kind === 'invariant' || f.kind === 'action' ? [...inst.invariants, ...inst.properties].find((x) => x.name === f.name) : undefined;
  const base = { clause: named?.clause, level: named?.level, doc: named?.doc, trace: trace as never };
  let v: Violation<S>;
  switch (f.kind) {
    case 'invariant':
      v = { kind: 'invariant', name: f.name, message: `invariant ${f.name} is violated`, ...base };
      break;
    case 'action':
      v = { kind: 'action-property', name: f.name, message: `action property ${f.name} is violated by step ${last}`, ...base };
      break;
    case 'deadlock':
      v = { kind: 'deadlock', name: 'Deadlock', message: 'deadlock: no action is enabled and the state is not terminal', ...base };
      break;
    case 'TypeOK':
      v = { kind: 'TypeOK', name: 'TypeOK', message: `TypeOK is violated after ${last}: ${f.message}`, ...base };
      break;
  }
  return { status: 'violation', violation: v, stats };
}

/**
 * An exception from the spec's code as a result: the trace replays `path` (to the state being
 * evaluated); `choice` names the step that was tried from it, if any.
 */
export function evalError<S>(succ: Successors<S>, path: readonly number[], choice: number | undefined, f: { readonly phase: Phase; readonly name?: string; readonly error: unknown }): EvalError<S> {
  const inst = succ.inst;
  const rep = replay(succ, path);
  const trace = buildTrace(inst, path.slice(0, rep.states.length), rep.states);
  const err = f.error as Error;
  const c = choice !== undefined ? inst.choices[choice] : undefined;
  return {
    message: err?.message ?? String(err),
    phase: f.phase,
    action: c ? inst.actions[c.action].name : undefined,
    param: c ? c.param : undefined,
    name: f.name,
    trace,
    stack: err?.stack,
  };
}

/** Re-evaluates the violation on the replayed trace; a different verdict means the spec is not deterministic. */
function confirm<S>(succ: Successors<S>, f: Failure, states: readonly S[]): string | undefined {
  const inst = succ.inst;
  const last = states[states.length - 1];
  const prev = states[states.length - 2];
  const note = 'replay: the violation found by the search does not reproduce when the trace is replayed; the spec is not deterministic';
  try {
    switch (f.kind) {
      case 'invariant': {
        const inv = inst.invariants.find((i) => i.name === f.name);
        return inv && !inv.check(last) ? undefined : note;
      }
      case 'action': {
        const p = inst.properties.find((i) => i.name === f.name);
        const c = inst.choices[f.choice];
        return p && !p.check(prev, last, { action: inst.actions[c.action].name, param: c.param }) ? undefined : note;
      }
      case 'deadlock':
        return succ.enabled(last).length > 0 ? note : undefined;
      default:
        return undefined;
    }
  } catch (e) {
    return `${note} (${(e as Error)?.message ?? String(e)})`;
  }
}
