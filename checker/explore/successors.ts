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
import { validate, codec, show, type Codec } from '../schema.js';
import type { Instance, Step, NamedCheck } from '../spec.js';
import { stepLabel } from '../spec.js';
import { compileLayout, isUnder, type Layout, type Scratch } from '../store/layout.js';
import { Symmetry } from '../store/symmetry.js';
import { OverlayMasks } from '../store/overlay.js';
import type { EvalError } from '../result.js';
import { ConfigError } from '../errors.js';
import { suggest } from '../names.js';

export type Phase = EvalError['phase'];

/** The view of a state returned a value outside the view's schema. The only such error class. */
export class ViewDomainError extends Error {
  constructor(why?: string) {
    super(why === undefined ? 'the view returned a value outside its schema' : `the view returned a value outside its schema: ${why}`);
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
  /**
   * `loop[k]` is 1 when kept successor k has its parent's fingerprint: a step that leaves
   * the state (or its view, or its orbit) as it was. Its state is in the seen-set already,
   * as its parent is, so a search may skip looking it up (a lookup that would miss the
   * cache: the parent went in long before).
   */
  readonly loop: Uint8Array;
  constructor(W: number, size: number) {
    this.words = new Uint32Array(size * W);
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.choice = new Int32Array(size);
    this.kept = new Uint8Array(size);
    this.loop = new Uint8Array(size);
  }
}

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

/**
 * One action's properties as one function: runs them in order and answers the index of the
 * first that is false, or -1. Each check is called from a call site of its own (a constant
 * of the generated function), which V8 can inline, rather than from one call site shared by
 * every property of the spec. `at.k` says which check is running, for one that throws.
 */
function conjunction<S>(checks: readonly ((before: S, after: S, step: Step) => boolean)[], at: { k: number }): (before: S, after: S, step: Step) => number {
  const body = checks.map((_, i) => `at.k = ${i}; if (!P${i}(b, a, st)) return ${i};`).join('\n');
  const make = new Function('P', 'at', `const ${checks.map((_, i) => `P${i} = P[${i}]`).join(', ')};\nreturn function judge(b, a, st) {\n${body}\nreturn -1;\n};`);
  return make(checks, at) as (before: S, after: S, step: Step) => number;
}

export class Successors<S> {
  readonly layout: Layout<S>;
  readonly viewLayout: Layout<unknown> | undefined;
  /** An overlay view's packed overlays ('fast' mode): the view is the packed state with some bits replaced. */
  private readonly overlays: OverlayMasks<S> | undefined;
  /** Words per packed state. */
  readonly W: number;
  readonly immer: boolean;
  /** Fingerprints are exact (the packed state, or view, fits in 63 bits). */
  readonly exact: boolean;
  /** A one-word state that is its own key (no view, no symmetry): seen-sets may store 4 bytes a slot. */
  readonly compact: boolean;
  /** The symmetry reduction, when the spec declares symmetric sets: fingerprints are of orbit representatives. */
  readonly symmetry: Symmetry<S> | undefined;
  /** With a view as well: the same permutations acting on viewed states, which are what is canonicalised. */
  readonly viewSymmetry: Symmetry<unknown> | undefined;
  /** With an overlay view and a packed-columns symmetry: the canonicalisation of the viewed words, without the viewed object. */
  private readonly viewSymPacked: ((w: Uint32Array, o: number) => Uint32Array) | undefined;
  readonly invariants: readonly NamedCheck<(s: S) => boolean>[];
  readonly properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];
  /** The successors of the last `expand`. */
  readonly batch: Batch;
  /** The last `initial(i)`'s packed state … */
  readonly initWords: Uint32Array;
  /** … and the fingerprint of the last `initial` / `fingerprint` call. */
  readonly fp = new Uint32Array(2);
  /** The fingerprint of the state `expand` last expanded, with a view or a symmetry (to mark its successors that loop back to it). */
  private readonly parentFp = new Uint32Array(2);
  /** Index of the invariant being evaluated by `invariantsAt` (to name one that throws). */
  invariantIndex = 0;

  private readonly sScratch: Scratch<S>;
  private readonly dScratch: Scratch<S>;
  private readonly iScratch: Scratch<S>;
  private readonly vscratch: Uint32Array;
  private readonly stepObj: { action: string; param: unknown; from: number; unchanged: (path: string) => boolean } = {
    action: '', param: undefined, from: 0, unchanged: (path) => this.unchanged(path),
  };
  /** For Step.unchanged: the packed state before (`expand`'s data and offset) and the successor being judged (in batch.words). */
  private beforeData: Uint32Array = new Uint32Array(0);
  private beforeOff = 0;
  private judgedAt = 0;
  /** Step.unchanged's masks by path (this run's paths), and the last one asked. */
  private readonly pathMasks = new Map<string, Uint32Array>();
  private lastPath = '';
  private lastMask: Uint32Array | undefined;
  private readonly chAction: number[];
  private readonly chParam: unknown[];
  private readonly enabledFns: (((s: S, p: unknown) => boolean) | undefined)[];
  private readonly nextFns: ((d: S, p: unknown) => S | void)[];
  private readonly names: string[];
  /** Per action with `params: { type, from }`: the members function and the type's codec; else undefined. */
  private readonly fromFns: ({ members: (s: S) => Iterable<unknown>; codec: Codec } | undefined)[];
  /** Per choice: its index among its action's choices (the parameter's code for a `from` action). */
  private readonly chSub: Int32Array;
  /** Per action: its first choice. */
  private readonly chFirst: Int32Array;
  /** Per `from` action: which codes the last state's members have, and the list of them (to clear). */
  private readonly fromMark: (Uint8Array | undefined)[];
  private readonly fromList: (Int32Array | undefined)[];
  private readonly fromCount: Int32Array;
  /**
   * Per action: the checked properties that judge its steps, in declaration order, each with
   * the check to call (a property scoped by `actions` is left out of the other actions' lists).
   */
  private readonly propsOf: readonly (readonly { readonly name: string; readonly check: (before: S, after: S, step: Step) => boolean }[])[];
  /** Per action: its properties compiled into one judgement (`conjunction`), or undefined when it has none. */
  private readonly judges: readonly (((before: S, after: S, step: Step) => number) | undefined)[];
  /** The property a judgement is running (its index in the action's list), to name one that throws. */
  private readonly judging = { k: 0 };

  constructor(readonly inst: Instance<S>, opts: SuccessorOptions = {}) {
    this.layout = compileLayout<S>(inst.schema);
    this.immer = opts.engine === 'immer';
    // An overlay view packs like the state itself; the 'immer' reference builds the overlaid object (view.of).
    this.overlays = inst.view?.overlay && !this.immer ? new OverlayMasks<S>(inst.schema, this.layout) : undefined;
    this.viewLayout = inst.view ? (inst.view.overlay ? (this.layout as Layout<unknown>) : compileLayout<unknown>(inst.view.state)) : undefined;
    this.W = this.layout.words;
    this.exact = this.viewLayout ? this.viewLayout.exact : this.layout.exact;
    this.symmetry = inst.symmetry && inst.symmetry.length > 0 ? new Symmetry<S>(inst.schema, inst.symmetry, this.layout) : undefined;
    this.viewSymmetry = this.symmetry && inst.view && this.viewLayout ? new Symmetry<unknown>(inst.view.state, inst.symmetry!, this.viewLayout) : undefined;
    // An overlay view packs like the state (viewLayout is the layout), so a packed-columns canonicalisation applies to its words.
    this.viewSymPacked = this.overlays && this.viewSymmetry ? this.viewSymmetry.canonicalPacked : undefined;
    this.compact = !inst.view && !this.symmetry && this.layout.compact;
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
    this.fromFns = inst.actions.map((a) => (a.from ? { members: a.from.members as (s: S) => Iterable<unknown>, codec: codec(a.from.type) } : undefined));
    this.chSub = new Int32Array(inst.choices.length);
    this.chFirst = new Int32Array(inst.actions.length).fill(-1);
    inst.choices.forEach((ch, c) => {
      if (this.chFirst[ch.action] < 0) this.chFirst[ch.action] = c;
      this.chSub[c] = c - this.chFirst[ch.action];
    });
    this.fromMark = this.fromFns.map((f) => (f ? new Uint8Array(f.codec.card) : undefined));
    this.fromList = this.fromFns.map((f) => (f ? new Int32Array(f.codec.card) : undefined));
    this.fromCount = new Int32Array(inst.actions.length);
    this.propsOf = inst.actions.map((_, a) =>
      this.properties.filter((p) => p.actions === undefined || p.actions.includes(a)).map((p) => ({ name: p.name, check: p.scoped ?? p.check })));
    this.judges = this.propsOf.map((ps) => (ps.length > 0 ? conjunction(ps.map((p) => p.check), this.judging) : undefined));
  }

  /** The code in action a's params.type of member m of its `from` set; throws when m is outside the type. */
  private memberCode(a: number, m: unknown): number {
    const i = this.fromFns[a]!.codec.index(m);
    if (i < 0) throw new Error(`action ${this.names[a]}: params.from gave ${show(m)}, which is not a value of its params.type`);
    return i;
  }

  /** Marks the codes of action a's `from` members in state s (the marks of the previous state cleared). */
  private markMembers(a: number, s: S): void {
    const mark = this.fromMark[a]!;
    const list = this.fromList[a]!;
    let n = this.fromCount[a];
    for (let k = 0; k < n; k++) mark[list[k]] = 0;
    n = 0;
    this.fromCount[a] = 0;
    for (const m of this.fromFns[a]!.members(s)) {
      const i = this.memberCode(a, m);
      if (mark[i] === 0) {
        mark[i] = 1;
        list[n++] = i;
        this.fromCount[a] = n; // kept current, so that marks set before a throw are cleared next time
      }
    }
  }

  /** Whether choice c's parameter is in its action's `from` set in s (true for other actions). */
  private inFrom(s: S, c: number): boolean {
    const a = this.chAction[c];
    if (this.fromFns[a] === undefined) return true;
    const want = this.chSub[c];
    for (const m of this.fromFns[a]!.members(s)) if (this.memberCode(a, m) === want) return true;
    return false;
  }

  /** Fingerprint of state `t`, packed at w[o..], into `out` (this.fp by default). Throws ViewDomainError. */
  fingerprint(t: S, w: Uint32Array, o: number, out: Uint32Array = this.fp): void {
    const vl = this.viewLayout;
    const ov = this.overlays;
    // An overlay view is applied on the packed words; under a symmetry, so is the
    // canonicalisation when it sorts packed columns (symPacked), else the viewed state is
    // canonicalised from its object form (the other forms read the state).
    const symPacked = this.viewSymPacked;
    if (ov !== undefined && (this.viewSymmetry === undefined || symPacked !== undefined)) {
      const part = this.inst.view!.overlay!(t);
      let vw = w;
      let vo = o;
      if (part !== undefined) {
        const p = ov.packed(part, t);
        if (typeof p === 'string') throw new ViewDomainError(p);
        vw = ov.apply(p, w, o);
        vo = 0;
      }
      if (symPacked !== undefined) this.layout.fingerprint(symPacked(vw, vo), 0, out);
      else this.layout.fingerprint(vw, vo, out);
    } else if (vl) {
      const v = this.inst.view!.of(t);
      if (!vl.encode(v as never, this.vscratch, 0)) throw new ViewDomainError();
      if (this.viewSymmetry) vl.fingerprint(this.viewSymmetry.canonical(v, this.vscratch, 0), 0, out);
      else vl.fingerprint(this.vscratch, 0, out);
    } else if (this.symmetry) this.layout.fingerprint(this.symmetry.canonical(t, w, o), 0, out);
    else this.layout.fingerprint(w, o, out);
  }

  /** Fingerprint of a packed state (decodes it when there is a view or a symmetry). */
  fingerprintPacked(w: Uint32Array, o: number, out: Uint32Array = this.fp): void {
    if (this.viewLayout || this.symmetry) this.fingerprint(this.layout.decode(w, o), w, o, out);
    else this.layout.fingerprint(w, o, out);
  }

  /**
   * Step.unchanged during `expand`: whether the successor being judged has the state before's
   * value at `path` (`src`, `src.units`, `fds[0].held`), compared on the packed words under
   * the path's bits. A path that names no part of the state throws, naming it.
   */
  private unchanged(path: string): boolean {
    let mask = path === this.lastPath ? this.lastMask : this.pathMasks.get(path);
    if (mask === undefined) {
      mask = this.maskOf(path);
      this.pathMasks.set(path, mask);
    }
    this.lastPath = path;
    this.lastMask = mask;
    const w = this.batch.words;
    const d = this.beforeData;
    const bo = this.judgedAt;
    const o = this.beforeOff;
    for (let k = 0; k < mask.length; k++) if (((w[bo + k] ^ d[o + k]) & mask[k]) !== 0) return false;
    return true;
  }

  /** The bits of the fields under `path`; an error naming a path that is no part of the state. */
  private maskOf(path: string): Uint32Array {
    const mask = this.layout.fieldMask([path]);
    const known = [...this.layout.leaves.keys()];
    if (mask.every((m) => m === 0) && !known.some((p) => isUnder(p, path))) {
      // Every leaf's path and the paths it is under (`src.units[1]`: `src`, `src.units`).
      const names = new Set(known.flatMap((p) => [...p.matchAll(/[.[]/g)].map((m) => p.slice(0, m.index)).concat(p)));
      throw new ConfigError(`step.unchanged('${path}'): the state has no field ${path}${suggest(path, names)}`);
    }
    return mask;
  }

  /** Whether two states are the same for the search (equal, equal in the view, or in one orbit of the symmetry). */
  same(a: S, b: S): boolean {
    const view = this.inst.view;
    const l = (this.viewLayout ?? this.layout) as Layout<unknown>;
    let wa = new Uint32Array(l.words);
    const wb = new Uint32Array(l.words);
    const va = view ? view.of(a) : a;
    const vb = view ? view.of(b) : b;
    if (!l.encode(va, wa, 0) || !l.encode(vb, wb, 0)) return false;
    const sym = (view ? this.viewSymmetry : this.symmetry) as Symmetry<unknown> | undefined;
    if (sym) {
      wa = sym.canonical(va, wa, 0).slice();
      wb.set(sym.canonical(vb, wb, 0));
    }
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
    const { words, hi, lo, choice, kept, loop } = batch;
    const chAction = this.chAction;
    const chParam = this.chParam;
    const enabledFns = this.enabledFns;
    const nextFns = this.nextFns;
    const propsOf = this.propsOf;
    const judges = this.judges;
    const anyProps = properties && this.properties.length > 0;
    const constraint = this.inst.constraint;
    const hasView = this.viewLayout !== undefined || this.symmetry !== undefined;
    const fromFns = this.fromFns;
    const chFirst = this.chFirst;
    const dScratch = this.dScratch;
    const stepObj = this.stepObj;
    const names = this.names;
    const encode = immer ? layout.encode : dScratch.encode;
    // 'fast': dScratch holds the parent for the first recipe; after a recipe that changed it
    // in place and was packed at words[packedAt..], restore() loads only the fields it changed.
    let packedAt = -1;
    const fp = this.fp;
    const nChoices = chAction.length;
    let n = 0;
    let generated = 0;
    let stop: Stop<S> | undefined;
    let c = 0;
    let phase: Phase = 'enabled';
    try {
      const s = immer ? (freeze(layout.decode(data, off), true) as S) : this.sScratch.load(data, off);
      // A new state before (Step.from): what properties kept of the last one no longer holds.
      stepObj.from++;
      this.beforeData = data;
      this.beforeOff = off;
      // For `loop`: with a view or a symmetry, the parent's own fingerprint, as the search
      // stored it (it was computed without error then, so it is now); without, a successor
      // loops when its words are the parent's (the fingerprint is theirs).
      const pfp = this.parentFp;
      if (hasView) {
        phase = 'view';
        this.fingerprint(s, data, off, pfp);
      }
      const p0 = pfp[0];
      const p1 = pfp[1];
      for (c = 0; c < nChoices; c++) {
        const a = chAction[c];
        const p = chParam[c];
        phase = 'enabled';
        if (fromFns[a] !== undefined) {
          if (chFirst[a] === c) this.markMembers(a, s);
          if (this.fromMark[a]![this.chSub[c]] === 0) continue;
        }
        const en = enabledFns[a];
        if (en !== undefined && !en(s, p)) continue;
        phase = 'next';
        let t: S;
        let inPlace = false;
        if (immer) {
          const rec = nextFns[a];
          t = produce(s, (d: S) => rec(d, p) as never) as S;
        } else {
          const d = packedAt >= 0 ? dScratch.restore(words, packedAt) : dScratch.load(data, off);
          packedAt = -1;
          const r = nextFns[a](d, p);
          t = r === undefined ? d : (r as S);
          inPlace = t === d;
        }
        generated++;
        const bo = n * W;
        if (!encode(t, words, bo) || (immer && validate(this.inst.schema, t) !== null)) {
          stop = { kind: 'TypeOK', choice: c, state: t, message: validate(this.inst.schema, t) ?? 'out of domain' };
          break;
        }
        // Packed (any change of dScratch is in these words) unless the recipe returned another state.
        if (inPlace) packedAt = bo;
        const judge = anyProps ? judges[a] : undefined;
        if (judge !== undefined) {
          phase = 'property';
          stepObj.action = names[a];
          stepObj.param = p;
          this.judgedAt = bo;
          const k = judge(s, t, stepObj as Step);
          if (k >= 0) {
            stop = { kind: 'property', choice: c, name: propsOf[a][k].name, state: t };
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
          loop[n] = fp[0] === p0 && fp[1] === p1 ? 1 : 0;
        } else {
          layout.fingerprint(words, bo, fp);
          let w = 0;
          while (w < W && words[bo + w] === data[off + w]) w++;
          loop[n] = w === W ? 1 : 0;
        }
        hi[n] = fp[0];
        lo[n] = fp[1];
        kept[n++] = 1;
      }
    } catch (e) {
      if (e instanceof ViewDomainError) stop = { kind: 'error', choice: c, phase: 'view', error: e };
      else stop = { kind: 'error', choice: c, phase, error: e, name: phase === 'property' ? this.propsOf[chAction[c]][this.judging.k].name : undefined };
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
    const base = this.immer ? (freeze(this.copy(s), true) as S) : s;
    return this.inFrom(base, c) && (en === undefined || en(base, this.chParam[c]));
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
      if (!this.inFrom(base, c) || (en !== undefined && !en(base, p))) return undefined;
      const rec = this.nextFns[a];
      return produce(base, (d: S) => rec(d, p) as never) as S;
    }
    if (!this.inFrom(s, c) || (en !== undefined && !en(s, p))) return undefined;
    const d = this.copy(s);
    const r = this.nextFns[a](d, p);
    return r === undefined ? d : (r as S);
  }

  /** The event of choice c from `before` to `after`: action, parameter (and its index), label. */
  event(c: number, before: S, after: S): Event<S> {
    const ch = this.inst.choices[c];
    const paramIndex = this.chSub[c];
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
