// LTL properties checked on the product of the state graph with the automaton of the
// property's negation (docs/decisions/ltl.md, phase 2).
//
// A product node is a pair (s, q) of a graph state and an automaton state whose label's
// state literals hold at s. (s, q) -> (t, q') is an edge when s -> t is a graph edge or the
// stuttering step (t = s), the label's action literals hold on that step, q' is a successor
// of q, and the state literals of q' hold at t. A behaviour violates the property iff the
// product has a run that meets every acceptance set infinitely often and whose projection
// is fair: an SCC with an inner edge that meets every set and every fairness condition, the
// conditions judged on the projection exactly as liveness.ts judges them on the graph (WF
// failing drops the SCC, SF failing removes the nodes where it is enabled and the rest is
// examined again).
//
// The values the product reads are computed while the graph is built (graph.ts): state
// predicates as bytes per state, action atoms, ENABLED arguments and fairness conditions as
// bits per step (stored edges, steps leaving the constraint, stuttering steps, and, when
// there are ENABLED atoms, s's steps back to s); ENABLED A at s is then the OR of A's bit
// over all of s's steps, self-loops included (TLA+: a successor equal to s is a successor),
// while fairness's <<A>>_v enabledness leaves self-loops out (they leave v unchanged). Every value goes through ltl.ts's
// `actionAtomHolds`/`actionFormulaHolds`, the one definition of what an atom means.
//
// The counterexample is a lasso: the product BFS path to the fair SCC's first node, then a
// walk inside the SCC through every acceptance set and pending fairness condition and back.
// Its projection is replayed like any trace and judged again, independently of the graph
// and the automaton, with `holdsOnLasso` and the fairness definitions; a lasso that does
// not falsify the formula there is an internal error, never reported as a violation.

import { defaultLabel, type FairnessCondition, type Instance, type Meta } from '../spec.js';
import {
  actionAtomHolds, actionFormulaHolds, angle, holdsOnLasso, isStutterInvariant, sameAtom, show, STUTTER,
  type Atom, type Formula, type StepContext,
} from '../ltl.js';
import { SpecError } from '../errors.js';
import type { IncompleteReason, TraceStep, Violation } from '../result.js';
import { negationAutomaton, type Buchi } from './buchi.js';
import { Grow, TestError, type GraphPredicate, type GraphTests, type StateGraph } from './graph.js';
import { Workspace } from './scc.js';
import { buildTrace, replay } from './trace.js';
import type { Successors } from './successors.js';

/** A property the product checks. */
export type FormulaProperty<S> = Meta & { readonly name: string; readonly formula: Formula<S> };

/** A test on steps, one bit per step of the graph. */
interface StepTest<S> {
  readonly property: string;
  readonly holds: (x: StepContext<S>, choice: number) => boolean;
  /** Its value on a real step depends on the choice only (no state is read). */
  readonly choiceOnly: boolean;
}

/** Where the product reads an automaton atom: a graph predicate, an ENABLED table, or a step bit. */
type Source = { readonly kind: 'pred'; readonly i: number } | { readonly kind: 'enabled'; readonly i: number } | { readonly kind: 'bit'; readonly i: number };

/** What the graph must record for the product properties, and how to read it. */
export interface LtlPlan<S> {
  readonly props: readonly FormulaProperty<S>[];
  readonly automata: readonly Buchi<S>[];
  /** Per property, per automaton atom. */
  readonly sources: readonly (readonly Source[])[];
  /** The state predicates, to be recorded from graph predicate `offset` on. */
  readonly predicates: readonly GraphPredicate<S>[];
  readonly offset: number;
  readonly tests: readonly StepTest<S>[];
  /** ENABLED atoms: the test of each one's argument. */
  readonly enabled: readonly { readonly atom: Atom<S>; readonly test: number }[];
  /** Fairness conditions: the test of <<A>>_v. */
  readonly fair: readonly { readonly cond: FairnessCondition; readonly test: number }[];
  /** Steps leaving the constraint count for ENABLED and fairness (TLC's reading). */
  readonly leaves: boolean;
}

/** Whether an action formula reads nothing but the step's action and parameter. */
function choiceOnly<S>(f: Formula<S>): boolean {
  switch (f.op) {
    case 'true': case 'false': return true;
    case 'atom': return f.atom.kind === 'action' || (f.atom.kind === 'unchanged' && f.atom.vars === undefined);
    case 'not': return choiceOnly(f.arg);
    case 'and': case 'or': return f.args.every(choiceOnly);
    case 'implies': return choiceOnly(f.left) && choiceOnly(f.right);
    default: return false;
  }
}

function hasEnabled<S>(f: Formula<S>): boolean {
  switch (f.op) {
    case 'atom': return f.atom.kind === 'enabled';
    case 'not': case 'always': case 'eventually': return hasEnabled(f.arg);
    case 'and': case 'or': return f.args.some(hasEnabled);
    case 'implies': case 'leadsTo': return hasEnabled(f.left) || hasEnabled(f.right);
    default: return false;
  }
}

/** Builds the automata and decides what the graph records. Throws SpecError for a formula too large or an unsupported fairness argument. */
export function planLtl<S>(props: readonly FormulaProperty<S>[], fairness: readonly FairnessCondition[], offset: number, leaves: boolean): LtlPlan<S> {
  const predicates: GraphPredicate<S>[] = [];
  const predAtoms: Atom<S>[] = [];
  const tests: StepTest<S>[] = [];
  const testAtoms: Atom<S>[] = [];
  const enabled: { atom: Atom<S>; test: number }[] = [];
  const atomTest = (a: Atom<S>, property: string): number => {
    const k = testAtoms.findIndex((b) => sameAtom(a, b));
    if (k >= 0) return k;
    testAtoms.push(a);
    return tests.push({ property, holds: (x) => actionAtomHolds(a, x), choiceOnly: choiceOnly({ op: 'atom', atom: a }) }) - 1;
  };
  const formulaTest = (f: Formula<S>, property: string): number => {
    testAtoms.push({ kind: 'state', name: '', fn: () => false }); // keeps testAtoms aligned with tests; matches no atom
    return tests.push({ property, holds: (x) => actionFormulaHolds(f, x), choiceOnly: choiceOnly(f) }) - 1;
  };
  const automata: Buchi<S>[] = [];
  const sources: Source[][] = [];
  for (const p of props) {
    let b: Buchi<S>;
    try {
      b = negationAutomaton(p.formula);
    } catch (e) {
      if (e instanceof SpecError) throw new SpecError(`temporal property ${p.name}: ${e.message}`);
      throw e;
    }
    automata.push(b);
    sources.push(b.atoms.map((a): Source => {
      if (a.kind === 'state') {
        let i = predAtoms.findIndex((x) => sameAtom(a, x));
        if (i < 0) {
          i = predAtoms.push(a) - 1;
          predicates.push({ name: p.name, fn: a.fn });
        }
        return { kind: 'pred', i: offset + i };
      }
      if (a.kind === 'enabled') {
        let i = enabled.findIndex((x) => sameAtom(a, x.atom));
        if (i < 0) i = enabled.push({ atom: a, test: formulaTest(a.action, p.name) }) - 1;
        return { kind: 'enabled', i };
      }
      return { kind: 'bit', i: atomTest(a, p.name) };
    }));
  }
  const fair = fairness.map((cond) => {
    if (!cond.formula) {
      const set = new Set(cond.choices);
      return { cond, test: tests.push({ property: cond.name, holds: (x: StepContext<S>, c: number) => !x.stutter && set.has(c), choiceOnly: true }) - 1 };
    }
    if (hasEnabled(cond.formula.action as Formula<S>)) throw new SpecError(`fairness ${cond.name}: ENABLED inside a fairness condition is not supported`);
    return { cond, test: formulaTest(angle(cond.formula.action as Formula<S>, cond.formula.vars), cond.name) };
  });
  return { props, automata, sources, predicates, offset, tests, enabled, fair, leaves };
}

/** The graph tests of a plan (undefined when no step needs judging). */
export function graphTests<S>(inst: Instance<S>, plan: LtlPlan<S>): GraphTests<S> | undefined {
  const T = plan.tests.length;
  if (T === 0) return undefined;
  const steps = inst.choices.map((c) => {
    const a = inst.actions[c.action];
    return { step: { action: a.name, param: c.param }, label: defaultLabel(a.name, a.hasParams, c.param) };
  });
  return {
    words: (T + 31) >>> 5,
    byChoice: plan.tests.every((t) => t.choiceOnly),
    selfLoops: plan.enabled.length > 0,
    eval: (before, after, choice, out) => {
      const x: StepContext<S> = choice < 0
        ? { before: before as S, after: before as S, step: STUTTER, label: '', stutter: true }
        : { before: before as S, after: after as S, step: steps[choice].step, label: steps[choice].label, stutter: false };
      for (let t = 0; t < T; t++) {
        let v: boolean;
        try {
          v = plan.tests[t].holds(x, choice);
        } catch (e) {
          throw new TestError(plan.tests[t].property, e);
        }
        if (v) out[t >>> 5] |= 1 << (t & 31);
      }
    },
  };
}

/** The recorded values, read back: step bits, ENABLED and fairness enabledness per state. */
export class Values {
  readonly words: number;
  /** Per ENABLED atom, per state. */
  readonly enabled: Uint8Array[];
  /** Per fairness condition, per state: <<A>>_v enabled. */
  readonly fairEnabled: Uint8Array[];
  constructor(readonly g: StateGraph, readonly plan: LtlPlan<unknown>) {
    this.words = (plan.tests.length + 31) >>> 5;
    /** Some step of s has the bit: stored edges and leaving steps, plus the stuttering step and self-loops when `all`. */
    const any = (test: number, all: boolean): Uint8Array => {
      const out = new Uint8Array(g.n);
      for (let s = 0; s < g.n; s++) {
        let v = all && (this.bit(g.stutterBits, s, test) || this.bit(g.selfBits, s, test));
        for (let e = g.edgeStart[s]; e < g.edgeStart[s + 1] && !v; e++) v = this.bit(g.edgeBits, e, test);
        if (plan.leaves) for (let e = g.leaveStart[s]; e < g.leaveStart[s + 1] && !v; e++) v = this.bit(g.leaveBits, e, test);
        out[s] = v ? 1 : 0;
      }
      return out;
    };
    this.enabled = plan.enabled.map((x) => any(x.test, true));
    this.fairEnabled = plan.fair.map((x) => any(x.test, false));
  }
  bit(arr: Uint32Array | undefined, i: number, t: number): boolean {
    return ((arr![i * this.words + (t >>> 5)] >>> (t & 31)) & 1) === 1;
  }
}

/** A lasso on the graph: from initial state `start`, steps (edge index, or -1 for stuttering); the cycle starts after `loopAt` steps. */
export interface GraphLasso {
  readonly start: number;
  readonly steps: readonly number[];
  readonly loopAt: number;
}

export type ProductOutcome =
  | { readonly status: 'ok'; readonly nodes: number; readonly bytes: number }
  | { readonly status: 'violation'; readonly lasso: GraphLasso; readonly nodes: number; readonly bytes: number }
  | { readonly status: 'incomplete'; readonly reason: IncompleteReason };

/** Searches the product of the graph with property `p`'s negation automaton for a fair accepting cycle. */
export function searchProduct<S>(g: StateGraph, plan: LtlPlan<S>, p: number, memory = Number.POSITIVE_INFINITY, vals = new Values(g, plan as LtlPlan<unknown>)): ProductOutcome {
  const b = plan.automata[p];
  const src = plan.sources[p];
  const m = b.states.length;
  if (m === 0 || b.initial.length === 0) return { status: 'ok', nodes: 0, bytes: 0 };
  if (g.n * m > 0x7fffffff || g.n * m * 4 > memory) return { status: 'incomplete', reason: 'memory' };

  // Per automaton state: its state literals and its step literals.
  const stateLits = b.states.map((q) => q.label.filter((l) => src[l.atom].kind !== 'bit').map((l) => ({ s: src[l.atom], positive: l.positive })));
  const stepLits = b.states.map((q) => q.label.filter((l) => src[l.atom].kind === 'bit').map((l) => ({ t: src[l.atom].i, positive: l.positive })));
  const stateOk = (q: number, s: number): boolean => {
    const ls = stateLits[q];
    for (let j = 0; j < ls.length; j++) {
      const l = ls[j];
      const v = l.s.kind === 'pred' ? g.preds[l.s.i][s] === 1 : vals.enabled[l.s.i][s] === 1;
      if (v !== l.positive) return false;
    }
    return true;
  };
  const stepOk = (q: number, arr: Uint32Array | undefined, i: number): boolean => {
    const ls = stepLits[q];
    for (let j = 0; j < ls.length; j++) if (vals.bit(arr, i, ls[j].t) !== ls[j].positive) return false;
    return true;
  };

  // Breadth-first construction: nodes numbered in discovery order, edges in CSR form.
  const id = new Int32Array(g.n * m).fill(-1);
  const nodeS = new Grow(new Int32Array(1024), (k) => new Int32Array(k));
  const nodeQ = new Grow(new Int32Array(1024), (k) => new Int32Array(k));
  const parent = new Grow(new Int32Array(1024), (k) => new Int32Array(k));
  const parentStep = new Grow(new Int32Array(1024), (k) => new Int32Array(k));
  const start = new Grow(new Uint32Array(1024), (k) => new Uint32Array(k));
  const target = new Grow(new Int32Array(4096), (k) => new Int32Array(k));
  const stepOf = new Grow(new Int32Array(4096), (k) => new Int32Array(k));
  const bytes = () => id.byteLength + [nodeS, nodeQ, parent, parentStep, start, target, stepOf].reduce((a, x) => a + x.data.byteLength, 0);
  let count = 0;
  const node = (s: number, q: number, par: number, step: number): number => {
    let v = id[s * m + q];
    if (v >= 0) return v;
    v = id[s * m + q] = count++;
    nodeS.push(s);
    nodeQ.push(q);
    parent.push(par);
    parentStep.push(step);
    return v;
  };
  for (let s = 0; s < g.n; s++) {
    if (g.parent[s] !== -1) continue;
    for (const q of b.initial) if (stateOk(q, s)) node(s, q, -1, -1);
  }
  const follow = (u: number, next: readonly number[], t: number, step: number): void => {
    for (let j = 0; j < next.length; j++) {
      const q2 = next[j];
      if (!stateOk(q2, t)) continue;
      target.push(node(t, q2, u, step));
      stepOf.push(step);
    }
  };
  for (let u = 0; u < count; u++) {
    start.push(target.length);
    const s = nodeS.data[u];
    const q = nodeQ.data[u];
    const next = b.states[q].next;
    for (let e = g.edgeStart[s]; e < g.edgeStart[s + 1]; e++) if (stepOk(q, g.edgeBits, e)) follow(u, next, g.edgeTarget[e], e);
    if (stepOk(q, g.stutterBits, s)) follow(u, next, s, -1);
    if ((u & 0x3fff) === 0x3fff && bytes() > memory) return { status: 'incomplete', reason: 'memory' };
  }
  start.push(target.length);
  const prod = { n: count, edgeStart: start.done(), edgeTarget: target.done() };
  const pStep = stepOf.done();
  const nS = nodeS.done();
  const nQ = nodeQ.done();
  const work = new Workspace(prod);
  const used = bytes() + work.bytes;
  if (used > memory) return { status: 'incomplete', reason: 'memory' };

  // Fair accepting SCCs (Emerson-Lei refinement for SF, as in liveness.ts).
  const K = plan.fair.length;
  const strong = plan.fair.map((f) => f.cond.kind === 'strong');
  const taken = (x: number, k: number) => pStep[x] >= 0 && vals.bit(g.edgeBits, pStep[x], plan.fair[k].test);
  const enabledAt = (v: number, k: number) => vals.fairEnabled[k][nS[v]] === 1;
  const { edgeStart, edgeTarget } = prod;
  work.fairComp.fill(-1);
  let fairCount = 0;
  const pending: Int32Array[] = [];
  const analyse = (comp: Int32Array): void => {
    const ctok = work.nextToken();
    for (let i = 0; i < comp.length; i++) work.comp[comp[i]] = ctok;
    let inner = false;
    for (let i = 0; i < comp.length && !inner; i++)
      for (let x = edgeStart[comp[i]]; x < edgeStart[comp[i] + 1] && !inner; x++) inner = work.comp[edgeTarget[x]] === ctok;
    if (!inner) return;
    for (const acc of b.acceptance) {
      let hit = false;
      for (let i = 0; i < comp.length && !hit; i++) hit = acc[nQ[comp[i]]] === 1;
      if (!hit) return;
    }
    const failing: number[] = [];
    for (let k = 0; k < K; k++) {
      let t = false;
      for (let i = 0; i < comp.length && !t; i++)
        for (let x = edgeStart[comp[i]]; x < edgeStart[comp[i] + 1] && !t; x++) t = work.comp[edgeTarget[x]] === ctok && taken(x, k);
      if (t) continue;
      let en = 0;
      for (let i = 0; i < comp.length; i++) if (enabledAt(comp[i], k)) en++;
      if (!strong[k] && en === comp.length) return;
      if (strong[k] && en > 0) failing.push(k);
    }
    if (failing.length > 0) {
      const keep = Array.from(comp).filter((v) => failing.every((k) => !enabledAt(v, k)));
      if (keep.length > 0) pending.push(Int32Array.from(keep));
      return;
    }
    const cid = fairCount++;
    for (let i = 0; i < comp.length; i++) work.fairComp[comp[i]] = cid;
  };
  const all = work.queue;
  for (let v = 0; v < count; v++) all[v] = v;
  work.sccs(all, count, analyse);
  while (pending.length > 0) {
    const set = pending.pop()!;
    work.sccs(set, set.length, analyse);
  }
  if (fairCount === 0) return { status: 'ok', nodes: count, bytes: used };

  // The entry: the fair node with the shortest BFS path; the cycle: a walk through C and back.
  let e = 0;
  while (work.fairComp[e] < 0) e++;
  const cid = work.fairComp[e];
  const inC = (v: number) => work.fairComp[v] === cid;
  const accPending = b.acceptance.map((acc) => acc[nQ[e]] !== 1);
  const fairPending = plan.fair.map(() => false);
  for (let k = 0; k < K; k++) {
    if (strong[k]) {
      for (let v = 0; v < count && !fairPending[k]; v++)
        if (inC(v)) for (let x = edgeStart[v]; x < edgeStart[v + 1] && !fairPending[k]; x++) fairPending[k] = inC(edgeTarget[x]) && taken(x, k);
    } else fairPending[k] = enabledAt(e, k);
  }
  const visit = (v: number) => {
    b.acceptance.forEach((acc, j) => { if (acc[nQ[v]] === 1) accPending[j] = false; });
    for (let k = 0; k < K; k++) if (!strong[k] && !enabledAt(v, k)) fairPending[k] = false;
  };
  const take = (x: number) => {
    for (let k = 0; k < K; k++) if (taken(x, k)) fairPending[k] = false;
  };
  const goalNode = (v: number) => b.acceptance.some((acc, j) => accPending[j] && acc[nQ[v]] === 1) || plan.fair.some((_, k) => fairPending[k] && !strong[k] && !enabledAt(v, k));
  const goalEdge = (x: number) => plan.fair.some((_, k) => fairPending[k] && taken(x, k));
  const cycle: number[] = [];
  let cur = e;
  const walk = (isNode: (v: number) => boolean, isEdge: (x: number) => boolean): void => {
    const { seen, prev, prevChoice, queue } = work;
    const tok = work.nextToken();
    let head = 0, tail = 0;
    seen[cur] = tok;
    queue[tail++] = cur;
    let end = -1, last = -1;
    while (head < tail && end < 0) {
      const u = queue[head++];
      if (u !== cur && isNode(u)) { end = u; break; }
      for (let x = edgeStart[u]; x < edgeStart[u + 1]; x++) {
        const w = edgeTarget[x];
        if (!inC(w)) continue;
        if (isEdge(x)) { end = u; last = x; break; }
        if (seen[w] !== tok) {
          seen[w] = tok;
          prev[w] = u;
          prevChoice[w] = x;
          queue[tail++] = w;
        }
      }
    }
    if (end < 0) throw new Error('ltl: no fair accepting cycle through the component (internal error)');
    const path: number[] = [];
    for (let v = end; v !== cur; v = prev[v]) path.push(prevChoice[v]);
    path.reverse();
    if (last >= 0) path.push(last);
    for (const x of path) {
      cycle.push(x);
      take(x);
      visit(edgeTarget[x]);
    }
    cur = path.length > 0 ? edgeTarget[path[path.length - 1]] : cur;
  };
  while (accPending.some((x) => x) || fairPending.some((x) => x)) walk(goalNode, goalEdge);
  if (cur !== e || cycle.length === 0) walk(() => false, (x) => edgeTarget[x] === e);

  const prefix: number[] = [];
  let root = e;
  for (; parent.data[root] >= 0; root = parent.data[root]) prefix.push(parentStep.data[root]);
  prefix.reverse();
  return { status: 'violation', lasso: { start: nS[root], steps: [...prefix, ...cycle.map((x) => pStep[x])], loopAt: prefix.length }, nodes: count, bytes: used };
}

// ---------------------------------------------------------------------------------------
// Reporting: replay, re-check, violation.

/** Turns a product lasso into a liveness violation, after replaying it and judging it again without the graph or the automaton. */
export function formulaViolation<S>(succ: Successors<S>, g: StateGraph, plan: LtlPlan<S>, p: number, lasso: GraphLasso, fairnessText: string): Violation<S> {
  const inst = succ.inst;
  const prop = plan.props[p];
  const invariant = isStutterInvariant(prop.formula);
  const choices = lasso.steps.map((x) => (x < 0 ? -1 : g.edgeChoice[x]));
  let prefix = choices.slice(0, lasso.loopAt);
  let cycle = choices.slice(lasso.loopAt);
  if (cycle.every((c) => c < 0)) cycle = []; // the behaviour stutters for ever at the end
  if (invariant) {
    // Finite stuttering does not change the formula's value, nor fairness (same states, same actions).
    prefix = prefix.filter((c) => c >= 0);
    cycle = cycle.filter((c) => c >= 0);
  }
  const steps = [...prefix, ...cycle];
  const path = [g.parentChoice[lasso.start], ...steps.filter((c) => c >= 0)];
  const rep = replay(succ, path);
  const realTrace = buildTrace(inst, path.slice(0, rep.states.length), rep.states) as TraceStep<S>[];
  if (!rep.ok) return { kind: 'nondeterminism', name: 'Replay', message: rep.message, trace: realTrace };
  const states: S[] = [rep.states[0]];
  const trace: TraceStep<S>[] = [realTrace[0]];
  let r = 1;
  for (const c of steps) {
    if (c < 0) {
      const s = states[states.length - 1];
      states.push(s);
      trace.push({ action: '(stutter)', label: '(stutter)', state: s, changed: [] });
    } else {
      states.push(rep.states[r]);
      trace.push(realTrace[r++]);
    }
  }
  const loop = prefix.length;
  const last = trace.length - 1;
  const note = 'replay: the liveness counterexample found on the product does not reproduce when replayed; the spec is not deterministic';
  if (cycle.length > 0 && !succ.same(states[loop], states[last]))
    return { kind: 'nondeterminism', name: 'Replay', message: `${note} (the cycle does not return to state ${loop})`, trace, loop };

  // The lasso's positions: with a cycle, 0 .. last-1 (the step from last-1 returns to loop); without, 0 .. last (stuttering at last).
  const length = cycle.length > 0 ? last : last + 1;
  const loopPos = cycle.length > 0 ? loop : last;
  const stepAt = (i: number) => (i < steps.length ? steps[i] : -1);
  const context = (i: number): StepContext<S> => {
    const c = stepAt(i);
    if (c < 0) return { before: states[i], after: states[i], step: STUTTER, label: '', stutter: true };
    const ch = inst.choices[c];
    const a = inst.actions[ch.action];
    return { before: states[i], after: states[i + 1], step: { action: a.name, param: ch.param }, label: defaultLabel(a.name, a.hasParams, ch.param), stutter: false };
  };
  /**
   * Some step from s satisfies `test`, found by trying every choice on the replayed state; with
   * `all` (ENABLED A) the stuttering step and steps to the same state (or view) count too,
   * without it (fairness's <<A>>_v) only state-changing steps do.
   */
  const someStep = (s: S, all: boolean, test: (x: StepContext<S>, c: number) => boolean): boolean => {
    if (all && test({ before: s, after: s, step: STUTTER, label: '', stutter: true }, -1)) return true;
    for (let c = 0; c < inst.choices.length; c++) {
      const t = succ.step(s, c);
      if (t === undefined || (!plan.leaves && !succ.inConstraint(t)) || (!all && succ.same(s, t))) continue;
      const ch = inst.choices[c];
      const a = inst.actions[ch.action];
      if (test({ before: s, after: t, step: { action: a.name, param: ch.param }, label: defaultLabel(a.name, a.hasParams, ch.param), stutter: false }, c)) return true;
    }
    return false;
  };
  let problem: string | undefined;
  try {
    const value = (a: Atom<S>, i: number): boolean =>
      a.kind === 'state' ? a.fn(states[i]) === true
        : a.kind === 'enabled' ? someStep(states[i], true, (x) => actionFormulaHolds(a.action, x))
          : actionAtomHolds(a, context(i));
    if (holdsOnLasso(prop.formula, { length, loop: loopPos }, value)) problem = 'the formula holds on it';
    for (const f of plan.fair) {
      if (problem) break;
      const holds = plan.tests[f.test].holds;
      const positions = Array.from({ length: length - loopPos }, (_, k) => loopPos + k);
      if (positions.some((i) => stepAt(i) >= 0 && holds(context(i), stepAt(i)))) continue;
      const en = positions.map((i) => someStep(states[i], false, holds));
      if (f.cond.kind === 'weak' ? en.every((x) => x) : en.some((x) => x)) problem = `it is not fair: ${f.cond.kind === 'weak' ? 'WF' : 'SF'}(${f.cond.name}) fails on its cycle`;
    }
  } catch (e) {
    return { kind: 'nondeterminism', name: 'Replay', message: `${note} (${(e as Error)?.message ?? String(e)})`, trace, loop };
  }
  if (problem) throw new Error(`ltl: the counterexample to temporal property ${prop.name} (${show(prop.formula)}) is wrong on replay: ${problem} (internal error)`);
  const repeat = cycle.length === 0
    ? `the behaviour then stutters in state ${last} for ever`
    : `the steps from state ${loop} to state ${last} (= state ${loop}) repeat for ever`;
  const stutterNote = !invariant && trace.some((t) => t.action === '(stutter)') ? '; the formula is not invariant under stuttering, so the trace shows its stuttering steps' : '';
  return {
    kind: 'liveness',
    name: prop.name,
    message: `temporal property ${prop.name} (${show(prop.formula)}) is violated by this behaviour: ${repeat}${stutterNote} (${fairnessText})`,
    clause: prop.clause,
    level: prop.level,
    doc: prop.doc,
    trace,
    loop: cycle.length === 0 ? last : loop,
  };
}
