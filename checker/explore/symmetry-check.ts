// Checks that a spec's `symmetry` declaration is true of the spec: that its transition
// relation, its properties, its constraint, its terminal states and its view commute with
// every permutation of the symmetric values. Symmetry reduction is sound only then: the
// search explores one state per orbit and takes the successors of that one state as those
// of the whole orbit, so if some permuted state π(s) has a successor whose orbit no
// successor of s reaches, the reduced search misses it (or finds a state the spec cannot).
//
// For every explored state s (one per orbit, breadth-first, as the reduced search would
// store them, up to a bound) and every permutation π of the group, π(s) must have:
//  - the same orbit fingerprint as s (the view commutes with π: view(π s) is in the orbit of view(s));
//  - the same verdict of each invariant, of the constraint and of `terminal`;
//  - the same set of successor orbits, each with the same verdict of each action property
//    and of the constraint (how many successors reach an orbit may differ: `generated` is
//    not kept by a symmetry).
// A difference is reported with s, π, π(s) and the step that has no counterpart. Passing
// proves equivariance on the states examined, which is every reachable orbit when the run
// is complete; it proves nothing about unreachable states, which the search never sees.

import { ConfigError } from '../errors.js';
import type { Instance } from '../spec.js';
import { Successors, type SuccessorOptions } from './successors.js';

export interface SymmetryCheckOptions extends SuccessorOptions {
  /** Orbits to examine at most (breadth-first); default 20,000. */
  readonly maxStates?: number;
}

export type SymmetryCheckResult<S = unknown> =
  | { readonly status: 'symmetric'; readonly states: number; readonly permutations: number; readonly complete: boolean }
  | {
    readonly status: 'asymmetric';
    readonly states: number;
    readonly permutations: number;
    /** The explored state, the permutation and its image. */
    readonly state: S;
    readonly permutation: string;
    readonly permuted: S;
    /** What differs, in a sentence. */
    readonly reason: string;
  };

export const SYMMETRY_CHECK_STATES = 20_000;

/** What of a state must not change under a permutation. */
interface Signature<S> {
  /** Orbit fingerprint of the state itself. */
  readonly fp: string;
  /** Invariant verdict, constraint, terminal. */
  readonly verdicts: string;
  /** Successor orbit (and its property and constraint verdicts) -> the choice of one step reaching it. */
  readonly next: Map<string, number>;
  readonly state: S;
  /** The successors inside the schema and the constraint (to go on breadth-first). */
  readonly succs: S[];
}

/** Checks the symmetry of `inst` on its reachable orbits (see the file comment). */
export function checkSymmetry<S>(inst: Instance<S>, opts: SymmetryCheckOptions = {}): SymmetryCheckResult<S> {
  const succ = new Successors<S>(inst, opts);
  const sym = succ.symmetry;
  if (!sym) throw new ConfigError(`spec ${inst.name} declares no symmetry: there is nothing to check (give it 'symmetry: [Type]')`);
  const max = opts.maxStates ?? SYMMETRY_CHECK_STATES;
  const buf = new Uint32Array(succ.W);
  const fpOut = new Uint32Array(2);

  const orbit = (s: S): string => {
    if (!succ.layout.encode(s, buf, 0)) return 'TypeOK'; // the message names positions, which a permutation moves
    try {
      succ.fingerprint(s, buf, 0, fpOut);
    } catch (e) {
      return `error: ${(e as Error)?.message ?? String(e)}`;
    }
    return `${fpOut[0]}:${fpOut[1]}`;
  };
  const verdict = (f: () => unknown): string => {
    try {
      return String(f());
    } catch (e) {
      return `throws ${(e as Error)?.message ?? String(e)}`;
    }
  };
  const signature = (s: S): Signature<S> => {
    const verdicts = [
      `invariant ${verdict(() => { const j = succ.invariantsOn(s); return j < 0 ? 'all hold' : `${succ.invariants[j].name} fails`; })}`,
      `constraint ${verdict(() => succ.inConstraint(s))}`,
      `terminal ${verdict(() => inst.terminal === undefined || inst.terminal(s))}`,
    ].join(', ');
    const next = new Map<string, number>();
    const succs: S[] = [];
    for (let c = 0; c < inst.choices.length; c++) {
      let t: S | undefined;
      try {
        t = succ.step(s, c);
      } catch (e) {
        next.set(`choice ${c} throws ${(e as Error)?.message ?? String(e)}`, c);
        continue;
      }
      if (t === undefined) continue;
      const prop = verdict(() => { const j = succ.propertiesOn(s, t!, c); return j < 0 ? 'properties hold' : `${succ.properties[j].name} fails`; });
      const inside = verdict(() => succ.inConstraint(t!));
      const k = orbit(t);
      next.set(`${k} (${prop}, constraint ${inside})`, c);
      if (inside === 'true' && !k.startsWith('TypeOK') && !k.startsWith('error')) succs.push(t);
    }
    return { fp: orbit(s), verdicts, next, state: s, succs };
  };
  /** The label of step c from s (computed only for a report). */
  const label = (s: S, c: number): string => {
    try {
      const t = succ.step(s, c);
      return t === undefined ? `choice ${c}` : succ.event(c, s, t).label;
    } catch {
      return `${inst.actions[inst.choices[c].action].name} (which throws)`;
    }
  };
  const differs = (a: Signature<S>, b: Signature<S>): string | undefined => {
    if (a.fp !== b.fp) return 'the permuted state is not in the same orbit (the view does not commute with the permutation)';
    if (a.verdicts !== b.verdicts) return `the state has ${a.verdicts}; the permuted state has ${b.verdicts}`;
    for (const [k, c] of a.next) if (!b.next.has(k)) return `the step ${label(a.state, c)} of the state reaches an orbit that no step of the permuted state reaches`;
    for (const [k, c] of b.next) if (!a.next.has(k)) return `the step ${label(b.state, c)} of the permuted state reaches an orbit that no step of the state reaches`;
    return undefined;
  };

  const seen = new Set<string>();
  const queue: S[] = [];
  for (const s0 of inst.init) {
    const k = orbit(s0);
    if (!seen.has(k)) {
      seen.add(k);
      queue.push(s0);
    }
  }
  let examined = 0;
  for (let head = 0; head < queue.length && examined < max; head++) {
    const s = queue[head];
    examined++;
    const sig = signature(s);
    for (let p = 1; p < sym.size; p++) {
      const q = sym.permute(s, p);
      const why = differs(sig, signature(q));
      if (why !== undefined) return { status: 'asymmetric', states: examined, permutations: sym.size, state: s, permutation: sym.describe(p), permuted: q, reason: why };
    }
    // Breadth-first over orbits, the successors of the stored state as the reduced search takes them.
    for (const t of sig.succs) {
      const k = orbit(t);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(succ.copy(t));
      }
    }
  }
  return { status: 'symmetric', states: examined, permutations: sym.size, complete: examined === queue.length };
}
