// The compiled instance of a spec for one run (TLC's Tool): the packed layouts of the state
// and of the view, the fingerprint, the initial states, and the one successor generator
// every strategy uses. A state's successors come out in choice order: every action in
// declaration order with every parameter in enumeration order (Instance.choices).
//
// Two semantics for an action's effect:
//  - 'immer' (the reference): the recipe runs under immer's produce() on a frozen state,
//    so a recipe or guard that mutates what it must not is caught;
//  - 'fast' (the default hot path): the parent is loaded into a reusable plain object
//    (Layout.scratch, no allocation), the recipe mutates it directly, and it is packed again.
// Both go through the same packing and fingerprinting; the differential test runs every
// spec both ways and compares counts and traces.
//
// The strategies built on it (search.ts: BFS; worker.ts: a parallel worker's expansion;
// graph.ts: the liveness graph; trace.ts: replay) keep no guard -> recipe -> encode loop
// of their own. A new strategy (simulation, DFS) takes a Successors, calls `initial(i)` and
// `expand(words, off)` (or `step(state, choice)` on plain states) and reads `batch`.

import { produce, freeze } from 'immer';
import { validate } from '../schema.js';
import type { Instance, Step, NamedCheck } from '../spec.js';
import { stepLabel } from '../spec.js';
import { compileLayout, type Layout, type Scratch } from '../store/layout.js';
import type { EvalError } from '../result.js';
import { ConfigError } from '../errors.js';
import { suggest } from '../names.js';

export type Phase = EvalError['phase'];

/** The view of a state returned a value outside the view's schema. The only such error class. */
export class ViewDomainError extends Error {
  constructor() {
    super('the view returned a value outside its schema');
  }
}

/** Why the expansion of a state (or an initial state) stopped before its last choice. */
export type Stop<S> =
  /** The successor (or initial state) is outside the schema. */
  | { readonly kind: 'TypeOK'; readonly choice: number; readonly state: unknown; readonly message: string }
  /** A checked action property is false on the step. */
  | { readonly kind: 'property'; readonly choice: number; readonly name: string; readonly state: S }
  /** The spec's code threw (or the view left its schema), in `phase`. */
  | { readonly kind: 'error'; readonly choice: number; readonly phase: Phase; readonly name?: string; readonly error: unknown };

/**
 * The successors of one state, reused from state to state: entry k (k < n) is the k-th
 * enabled choice's successor, packed at words[k*W ..]; `kept[k]` is 1 when it satisfies
 * the state constraint, and then hi/lo hold its fingerprint (of the view, if any).
 * `stop` is set when the expansion stopped early; `generated` counts the successors
 * computed (TLC's generated), the stopping one included when it was computed.
 */
export class Batch {
  n = 0;
  generated = 0;
  stop: Stop<unknown> | undefined;
  readonly words: Uint32Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly choice: Int32Array;
  readonly kept: Uint8Array;
  constructor(W: number, size: number) {
    this.words = new Uint32Array(size * W);
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.choice = new Int32Array(size);
    this.kept = new Uint8Array(size);
  }
}

const NO_PROPERTIES: readonly NamedCheck<never>[] = [];

/** What `initial(i)` found: the state packed in `initWords`, fingerprint in `fp`. */
export type InitOutcome<S> = { readonly kind: 'ok' } | { readonly kind: 'outside' } | Stop<S>;

export interface SuccessorOptions {
  /** Action semantics: 'fast' (default) or 'immer' (the reference). */
  engine?: 'fast' | 'immer';
  /** Only these invariants / action properties (by name); default all. */
  invariants?: readonly string[];
}

/** One successor of a plain state, with its event: the choice, its action and parameter, the label. */
export interface Event<S> {
  readonly choice: number;
  readonly action: string;
  /** Index of the parameter value in the action's `params` (0 for an action without). */
  readonly paramIndex: number;
  readonly param: unknown;
  readonly label: string;
  readonly state: S;
}

/** Which invariants and properties a run checks (by `--invariant` names). */
export function selectChecks<S>(inst: Instance<S>, names: readonly string[] | undefined): {
  invariants: readonly NamedCheck<(s: S) => boolean>[];
  properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];
} {
  let invariants = inst.invariants;
  let properties = inst.properties;
  if (names && names.length > 0) {
    const known = [...invariants, ...properties].map((i) => i.name);
    for (const n of names)
      if (!known.includes(n) && n !== 'TypeOK')
        throw new ConfigError(`unknown invariant '${n}' in spec ${inst.name}; known: ${known.join(', ') || '(none)'}${suggest(n, known)}`);
    invariants = invariants.filter((i) => names.includes(i.name));
    properties = properties.filter((i) => names.includes(i.name));
  }
  return { invariants, properties };
}

export class Successors<S> {
  readonly layout: Layout<S>;
  readonly viewLayout: Layout<unknown> | undefined;
  /** Words per packed state. */
  readonly W: number;
  readonly immer: boolean;
  /** Fingerprints are exact (the packed state, or view, fits in 63 bits). */
  readonly exact: boolean;
  /** A one-word state that is its own key (no view): seen-sets may store 4 bytes a slot. */
  readonly compact: boolean;
  readonly invariants: readonly NamedCheck<(s: S) => boolean>[];
  readonly properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];
  /** The successors of the last `expand`. */
  readonly batch: Batch;
  /** The last `initial(i)`'s packed state … */
  readonly initWords: Uint32Array;
  /** … and the fingerprint of the last `initial` / `fingerprint` call. */
  readonly fp = new Uint32Array(2);
  /** Index of the invariant being evaluated by `invariantsAt` (to name one that throws). */
  invariantIndex = 0;

  private readonly sScratch: Scratch<S>;
  private readonly dScratch: Scratch<S>;
  private readonly iScratch: Scratch<S>;
  private readonly vscratch: Uint32Array;
  private readonly stepObj: { action: string; param: unknown } = { action: '', param: undefined };
  private readonly chAction: number[];
  private readonly chParam: unknown[];
  private readonly enabledFns: (((s: S, p: unknown) => boolean) | undefined)[];
  private readonly nextFns: ((d: S, p: unknown) => S | void)[];
  private readonly names: string[];

  constructor(readonly inst: Instance<S>, opts: SuccessorOptions = {}) {
    this.layout = compileLayout<S>(inst.schema);
    this.viewLayout = inst.view ? compileLayout<unknown>(inst.view.state) : undefined;
    this.W = this.layout.words;
    this.immer = opts.engine === 'immer';
    this.exact = this.viewLayout ? this.viewLayout.exact : this.layout.exact;
    this.compact = !inst.view && this.layout.compact;
    const sel = selectChecks(inst, opts.invariants);
    this.invariants = sel.invariants;
    this.properties = sel.properties;
    this.sScratch = this.layout.scratch();
    this.dScratch = this.layout.scratch();
    this.iScratch = this.layout.scratch();
    this.vscratch = new Uint32Array(this.viewLayout?.words ?? 1);
    this.initWords = new Uint32Array(this.W);
    this.batch = new Batch(this.W, Math.max(1, inst.choices.length));
    this.chAction = inst.choices.map((c) => c.action);
    this.chParam = inst.choices.map((c) => c.param);
    this.enabledFns = inst.actions.map((a) => a.def.enabled as ((s: S, p: unknown) => boolean) | undefined);
    this.nextFns = inst.actions.map((a) => a.def.next as (d: S, p: unknown) => S | void);
    this.names = inst.actions.map((a) => a.name);
  }

  /** Fingerprint of state `t`, packed at w[o..], into `out` (this.fp by default). Throws ViewDomainError. */
  fingerprint(t: S, w: Uint32Array, o: number, out: Uint32Array = this.fp): void {
    const vl = this.viewLayout;
    if (vl) {
      if (!vl.encode(this.inst.view!.of(t) as never, this.vscratch, 0)) throw new ViewDomainError();
      vl.fingerprint(this.vscratch, 0, out);
    } else this.layout.fingerprint(w, o, out);
  }

  /** Fingerprint of a packed state (decodes it when there is a view). */
  fingerprintPacked(w: Uint32Array, o: number, out: Uint32Array = this.fp): void {
    if (this.viewLayout) this.fingerprint(this.layout.decode(w, o), w, o, out);
    else this.layout.fingerprint(w, o, out);
  }

  /** Whether two states are the same for the search (equal, or equal in the view). */
  same(a: S, b: S): boolean {
    const view = this.inst.view;
    const l = (this.viewLayout ?? this.layout) as Layout<unknown>;
    const wa = new Uint32Array(l.words);
    const wb = new Uint32Array(l.words);
    if (!l.encode(view ? view.of(a) : a, wa, 0) || !l.encode(view ? view.of(b) : b, wb, 0)) return false;
    return wa.every((x, i) => x === wb[i]);
  }

  /** A state to evaluate predicates on: a reused scratch object ('fast') or a frozen copy ('immer'). */
  load(w: Uint32Array, o: number): S {
    return this.immer ? (freeze(this.layout.decode(w, o), true) as S) : this.iScratch.load(w, o);
  }

  /** A fresh plain copy of a packed state. */
  decode(w: Uint32Array, o: number): S {
    return this.layout.decode(w, o);
  }

  /** A fresh plain copy of a state (a structured clone when it is outside the schema). */
  copy(s: S): S {
    const buf = new Uint32Array(this.W);
    if (!this.layout.encode(s, buf, 0)) return structuredClone(s);
    return this.layout.decode(buf, 0);
  }

  /**
   * Initial state i: packed into `initWords` and fingerprinted into `fp` ('ok'), outside the
   * constraint ('outside'), outside the schema ('TypeOK') or an exception ('error').
   */
  initial(i: number): InitOutcome<S> {
    const s0 = this.inst.init[i];
    let phase: Phase = 'init';
    try {
      if (!this.layout.encode(s0, this.initWords, 0)) return { kind: 'TypeOK', choice: i, state: s0, message: validate(this.inst.schema, s0) ?? 'out of domain' };
      phase = 'constraint';
      if (this.inst.constraint && !this.inst.constraint(s0)) return { kind: 'outside' };
      phase = 'view';
      this.fingerprint(s0, this.initWords, 0);
      return { kind: 'ok' };
    } catch (e) {
      if (e instanceof ViewDomainError) return { kind: 'error', choice: i, phase: 'view', error: e };
      return { kind: 'error', choice: i, phase, error: e };
    }
  }

  /**
   * Computes the successors of the packed state at data[off..] into `batch`, in choice
   * order, each packed, checked against the action properties (when `properties` is true),
   * the constraint, and fingerprinted. Stops at the first TypeOK or property violation or
   * exception (batch.stop). The hot path: no allocation in 'fast' mode.
   */
  expand(data: Uint32Array, off: number, properties = true): Batch {
    const { layout, W, immer, batch } = this;
    const { words, hi, lo, choice, kept } = batch;
    const chAction = this.chAction;
    const chParam = this.chParam;
    const enabledFns = this.enabledFns;
    const nextFns = this.nextFns;
    const props = properties ? this.properties : NO_PROPERTIES;
    const nProp = props.length;
    const constraint = this.inst.constraint;
    const hasView = this.viewLayout !== undefined;
    const encode = layout.encode;
    const fp = this.fp;
    const nChoices = chAction.length;
    let n = 0;
    let generated = 0;
    let stop: Stop<S> | undefined;
    let c = 0;
    let phase: Phase = 'enabled';
    let failName: string | undefined;
    try {
      const s = immer ? (freeze(layout.decode(data, off), true) as S) : this.sScratch.load(data, off);
      for (c = 0; c < nChoices; c++) {
        const a = chAction[c];
        const p = chParam[c];
        phase = 'enabled';
        const en = enabledFns[a];
        if (en !== undefined && !en(s, p)) continue;
        phase = 'next';
        let t: S;
        if (immer) {
          const rec = nextFns[a];
          t = produce(s, (d: S) => rec(d, p) as never) as S;
        } else {
          const d = this.dScratch.load(data, off);
          const r = nextFns[a](d, p);
          t = r === undefined ? d : (r as S);
        }
        generated++;
        const bo = n * W;
        if (!encode(t, words, bo) || (immer && validate(this.inst.schema, t) !== null)) {
          stop = { kind: 'TypeOK', choice: c, state: t, message: validate(this.inst.schema, t) ?? 'out of domain' };
          break;
        }
        if (nProp > 0) {
          phase = 'property';
          const stepObj = this.stepObj;
          stepObj.action = this.names[a];
          stepObj.param = p;
          let k = 0;
          for (; k < nProp; k++) {
            failName = props[k].name;
            if (!props[k].check(s, t, stepObj as Step)) break;
          }
          if (k < nProp) {
            stop = { kind: 'property', choice: c, name: props[k].name, state: t };
            break;
          }
        }
        choice[n] = c;
        if (constraint !== undefined) {
          phase = 'constraint';
          if (!constraint(t)) {
            kept[n++] = 0;
            continue;
          }
        }
        if (hasView) {
          phase = 'view';
          this.fingerprint(t, words, bo);
        } else layout.fingerprint(words, bo, fp);
        hi[n] = fp[0];
        lo[n] = fp[1];
        kept[n++] = 1;
      }
    } catch (e) {
      if (e instanceof ViewDomainError) stop = { kind: 'error', choice: c, phase: 'view', error: e };
      else stop = { kind: 'error', choice: c, phase, error: e, name: phase === 'property' ? failName : undefined };
    }
    batch.n = n;
    batch.generated = generated;
    batch.stop = stop;
    return batch;
  }

  /**
   * Runs the checked invariants on the packed state at w[o..]: -1 when all hold, else the
   * index of the first that is violated. Exceptions propagate, with `invariantIndex`
   * naming the invariant that threw.
   */
  invariantsAt(w: Uint32Array, o: number): number {
    return this.invariants.length === 0 ? -1 : this.invariantsOn(this.load(w, o));
  }

  /** `invariantsAt` on a plain state (a random walk's): -1, or the first violated invariant's index. */
  invariantsOn(s: S): number {
    const invs = this.invariants;
    for (let j = 0; j < invs.length; j++) {
      this.invariantIndex = j;
      if (!invs[j].check(s)) return j;
    }
    return -1;
  }

  /** The first checked action property that step `c` from `before` to `after` violates (its index), or -1. Exceptions propagate. */
  propertiesOn(before: S, after: S, c: number): number {
    const props = this.properties;
    const st: Step = { action: this.names[this.chAction[c]], param: this.chParam[c] };
    for (let j = 0; j < props.length; j++) {
      this.invariantIndex = j;
      if (!props[j].check(before, after, st)) return j;
    }
    return -1;
  }

  /** Why plain state s is outside the schema (TypeOK), or undefined when it is inside. */
  typeError(s: unknown): string | undefined {
    const buf = new Uint32Array(this.W);
    if (this.layout.encode(s as S, buf, 0) && validate(this.inst.schema, s) === null) return undefined;
    return validate(this.inst.schema, s) ?? 'out of domain';
  }

  /** Whether plain state s satisfies the state constraint (true without one). */
  inConstraint(s: S): boolean {
    return this.inst.constraint === undefined || this.inst.constraint(s);
  }

  /** Whether the packed state at w[o..] is declared terminal (may have no successor). Throws what `terminal` throws. */
  terminalAt(w: Uint32Array, o: number): boolean {
    const term = this.inst.terminal;
    return term !== undefined && term(this.load(w, o));
  }

  /** Whether choice c is enabled in s (its guard, on the state as given). */
  enabledChoice(s: S, c: number): boolean {
    const en = this.enabledFns[this.chAction[c]];
    return en === undefined || en(this.immer ? (freeze(this.copy(s), true) as S) : s, this.chParam[c]);
  }

  /** The enabled choices of s, in choice order. */
  enabled(s: S): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.chAction.length; c++) if (this.enabledChoice(s, c)) out.push(c);
    return out;
  }

  /** Names of the actions with some enabled choice in s, in declaration order. */
  enabledActions(s: S): string[] {
    const on = new Set(this.enabled(s).map((c) => this.chAction[c]));
    return this.names.filter((_, a) => on.has(a));
  }

  /**
   * The successor of plain state s by choice c (for replay and random walks): undefined when
   * the choice is not enabled. s is not changed. Exceptions from the spec propagate.
   */
  step(s: S, c: number): S | undefined {
    const a = this.chAction[c];
    const p = this.chParam[c];
    const en = this.enabledFns[a];
    if (this.immer) {
      const base = freeze(this.copy(s), true) as S;
      if (en !== undefined && !en(base, p)) return undefined;
      const rec = this.nextFns[a];
      return produce(base, (d: S) => rec(d, p) as never) as S;
    }
    if (en !== undefined && !en(s, p)) return undefined;
    const d = this.copy(s);
    const r = this.nextFns[a](d, p);
    return r === undefined ? d : (r as S);
  }

  /** The event of choice c from `before` to `after`: action, parameter (and its index), label. */
  event(c: number, before: S, after: S): Event<S> {
    const ch = this.inst.choices[c];
    let paramIndex = 0;
    for (let k = c - 1; k >= 0 && this.chAction[k] === ch.action; k--) paramIndex++;
    return { choice: c, action: this.names[ch.action], paramIndex, param: ch.param, label: stepLabel(this.inst as Instance, c, before, after), state: after };
  }

  /** Every successor of plain state s with its event, in choice order (constraint not applied). */
  *successors(s: S): Generator<Event<S>> {
    for (let c = 0; c < this.chAction.length; c++) {
      const t = this.step(s, c);
      if (t !== undefined) yield this.event(c, s, t);
    }
  }
}
