// Trace reconstruction: a path of choices (initial-state index, then choice indexes) is
// replayed forward from the initial state with the same action semantics as the search.
// A step whose guard is false on replay, or a recipe that gives a different state, means
// the spec is not deterministic (it reads a clock, a random number or outside state).
//
// Under a symmetry the search stores, for each orbit, the concrete state it first found
// and the choice that led to it from its parent's stored (concrete) state, so replaying
// the choices rebuilds actual successors of the spec without symmetry: the trace needs no
// search for a matching permutation, and the same confirmation applies.

import { leaves, show, type Leaf } from '../schema.js';
import { stepLabel, type Instance } from '../spec.js';
import type { TraceStep } from '../result.js';
import type { Successors } from './successors.js';

export type Replay<S> = { ok: true; states: S[] } | { ok: false; states: S[]; message: string };

/**
 * Replays a path with the run's own Successors. `last` replaces the final state when it
 * cannot be recomputed faithfully (a TypeOK violation: the out-of-domain value found by the
 * search is shown as it was).
 */
export function replay<S>(succ: Successors<S>, path: readonly number[], last?: unknown): Replay<S> {
  const inst = succ.inst;
  const states: S[] = [];
  if (path.length === 0) return { ok: true, states };
  const s0 = inst.init[path[0]];
  states.push(path.length === 1 && last !== undefined ? (last as S) : succ.copy(s0));
  for (let k = 1; k < path.length; k++) {
    // The trace of a failed replay ends at state k - 1: name the step from there, so that the
    // message speaks of what the trace shows.
    const c = inst.choices[path[k]];
    const where = `the step ${inst.actions[c.action].name}${inst.actions[c.action].hasParams ? `(${show(c.param)})` : ''} from state ${k - 1}, the last of the trace,`;
    try {
      const next = succ.step(states[k - 1], path[k]);
      if (next === undefined)
        return { ok: false, states, message: `replay: ${where} is not enabled on replay although the search took it; the spec is not deterministic` };
      states.push(k === path.length - 1 && last !== undefined ? (last as S) : next);
    } catch (e) {
      return { ok: false, states, message: `replay: ${where} threw: ${(e as Error)?.message ?? String(e)}` };
    }
  }
  return { ok: true, states };
}

/** Labels each replayed state and lists the leaves that changed. */
export function buildTrace<S>(inst: Instance<S>, path: readonly number[], states: readonly S[]): TraceStep<S>[] {
  const out: TraceStep<S>[] = [];
  let prevLeaves: Leaf[] | undefined;
  for (let k = 0; k < states.length; k++) {
    const s = states[k];
    let ls: Leaf[] = [];
    try {
      ls = leaves(inst.schema, s);
    } catch {
      ls = [];
    }
    const changed: string[] = [];
    if (prevLeaves) {
      const before = new Map(prevLeaves.map((l) => [l.path, show(l.value)]));
      for (const l of ls) if (before.get(l.path) !== show(l.value)) changed.push(l.path);
    }
    if (k === 0) out.push({ action: 'Init', label: 'Init', state: s, changed });
    else {
      const c = inst.choices[path[k]];
      const a = inst.actions[c.action];
      const step: TraceStep<S> = { action: a.name, label: stepLabel(inst as Instance, path[k], states[k - 1], s), state: s, changed };
      if (a.hasParams) step.param = c.param;
      out.push(step);
    }
    prevLeaves = ls;
  }
  return out;
}
