// Coverage of a run (TLC's -coverage): per choice (action and parameter value) how often it
// was enabled in an expanded state, how often it fired (its successor was computed and
// taken) and how many new states it found; per invariant, action property and temporal
// property how often it was evaluated and, for the temporal ones, in how many states its
// premise held.
//
// Every run keeps the per-choice tallies (an increment per successor), so that an action
// that never fired is warned about in every report: a guard that reads a misspelt field is
// silently false. The premises of temporal properties are evaluated only when coverage is
// asked for (`CheckOptions.coverage`).
//
// What counts as what:
//  - exhaustive search (BFS, any number of workers): every enabled choice of an expanded
//    state fires, so `enabled` equals `fired`; `distinct` counts the stored states whose
//    BFS-tree edge is that choice (each state is counted once, for the choice that found it
//    first);
//  - simulation: `enabled` counts the visited states in which the choice was enabled,
//    `fired` the steps that took it, `distinct` the steps that reached a state no earlier
//    step of the run had reached.
// A run stopped by a violation counts up to the stop, at any number of workers (a worker's
// slice that holds the stop is recounted, as its `generated` is).
// A successor outside the state constraint counts as fired (TLC decides enabledness from
// the action) but never as a new state.
//
// The spec language has no premise for invariants and action properties (an action
// property is a plain predicate of the step), so for them coverage reports how often they
// were evaluated; a temporal property's premise is its `p` (`p ~> q`, `[]<>p`, `<>[]p`),
// and for `p ~> q` the states where q held are counted too.

import type { Instance, NamedTemporal } from '../spec.js';
import { defaultLabel } from '../spec.js';

/** One row of the action table: a choice (an action with one parameter value). */
export interface ChoiceCoverage {
  readonly action: string;
  /** The parameter value (absent for an action without parameters). */
  readonly param?: unknown;
  /** `Action` or `Action(param)`. */
  readonly label: string;
  readonly enabled: number;
  readonly fired: number;
  readonly distinct: number;
}

/** One row of the property table. */
export interface PropertyCoverage {
  readonly name: string;
  readonly kind: 'invariant' | 'property' | 'temporal';
  /** States (invariants), steps (action properties) or explored states (temporal) it was evaluated on. */
  readonly evaluated: number;
  /** Temporal only: states where the premise p held (`p ~> q`, `[]<>p`, `<>[]p`). */
  readonly premise?: number;
  /** `p ~> q` only: states where q held. */
  readonly consequence?: number;
}

/** What a run reports of its coverage (CheckResult.coverage). */
export interface CoverageTable {
  /** Whether the table is complete (`--coverage`) or the per-choice counts alone. */
  readonly detailed: boolean;
  readonly actions: readonly ChoiceCoverage[];
  /** Names of the actions none of whose choices fired, in declaration order. */
  readonly neverFired: readonly string[];
  readonly properties: readonly PropertyCoverage[];
  /** Initial states stored (or visited by simulation). */
  readonly initial: number;
}

/** The premises of the temporal properties, evaluated on explored states (with --coverage). */
interface Premise<S> {
  readonly t: Exclude<NamedTemporal<S>, { kind: 'formula' }>;
  held: number;
  consequence: number;
}

/** The tallies of one run, merged from every thread that expanded states. */
export class Tally<S = unknown> {
  readonly enabled: Float64Array;
  readonly fired: Float64Array;
  readonly fresh: Float64Array;
  initial = 0;
  /** States the invariants were evaluated on. */
  statesChecked = 0;
  /** Steps the action properties were evaluated on. */
  stepsChecked = 0;
  /** States the premises were evaluated on. */
  premiseStates = 0;
  private readonly premises: Premise<S>[];

  /**
   * `checked`: the invariants and action properties the run checks (by name), in order;
   * `detailed`: coverage was asked for (premises are evaluated, the property table is made).
   */
  constructor(private readonly inst: Instance<S>, readonly detailed: boolean, private readonly checked: { readonly invariants: readonly { name: string }[]; readonly properties: readonly { name: string }[] }) {
    const n = inst.choices.length;
    this.enabled = new Float64Array(n);
    this.fired = new Float64Array(n);
    this.fresh = new Float64Array(n);
    // An LTL formula has no single premise; the three classic forms do (p of p ~> q, []<>p, <>[]p).
    this.premises = detailed ? (inst.temporal ?? []).flatMap((t) => (t.kind === 'formula' ? [] : [{ t, held: 0, consequence: 0 }])) : [];
  }

  /** Whether premises are evaluated (coverage asked for and the spec has temporal properties). */
  get premisesWanted(): boolean {
    return this.premises.length > 0;
  }

  /** Adds per-choice counts computed elsewhere (a worker's chunk). */
  addFired(fired: ArrayLike<number>): void {
    for (let c = 0; c < fired.length; c++) this.fired[c] += fired[c];
  }

  /** Evaluates the premises on one explored state. Exceptions are not the coverage's business: a throwing predicate is not counted. */
  premisesOn(s: S): void {
    this.premiseStates++;
    for (const p of this.premises) {
      try {
        const t = p.t;
        if (t.p(s)) p.held++;
        if (t.kind === 'leadsTo' && t.q(s)) p.consequence++;
      } catch {
        /* reported by the liveness check, which evaluates the same predicate */
      }
    }
  }

  /** The table of this run. */
  table(): CoverageTable {
    const inst = this.inst;
    const actions = inst.choices.map((ch, c): ChoiceCoverage => {
      const a = inst.actions[ch.action];
      const row = { action: a.name, label: defaultLabel(a.name, a.hasParams, ch.param), enabled: this.enabled[c], fired: this.fired[c], distinct: this.fresh[c] };
      return a.hasParams ? { ...row, param: ch.param } : row;
    });
    const firedBy = new Float64Array(inst.actions.length);
    inst.choices.forEach((ch, c) => (firedBy[ch.action] += this.fired[c]));
    const neverFired = inst.actions.filter((_, a) => firedBy[a] === 0).map((a) => a.name);
    const properties: PropertyCoverage[] = [];
    if (this.detailed) {
      for (const i of this.checked.invariants) properties.push({ name: i.name, kind: 'invariant', evaluated: this.statesChecked });
      for (const p of this.checked.properties) properties.push({ name: p.name, kind: 'property', evaluated: this.stepsChecked });
      for (const p of this.premises)
        properties.push(p.t.kind === 'leadsTo' ? { name: p.t.name, kind: 'temporal', evaluated: this.premiseStates, premise: p.held, consequence: p.consequence } : { name: p.t.name, kind: 'temporal', evaluated: this.premiseStates, premise: p.held });
    }
    return { detailed: this.detailed, actions, neverFired, properties, initial: this.initial };
  }
}

