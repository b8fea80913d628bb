// Temporal properties under weak and strong fairness, checked on the explicit state graph.
//
// Every property is reduced to a question about fair cycles (docs/decisions/liveness.md):
//   p ~> q   fails iff some reachable state satisfies p /\ ~q and, from it, a fair cycle
//            can be reached through ~q states only (the cycle itself avoiding q);
//   []<>p    is TRUE ~> p;
//   <>[]p    fails iff some reachable fair cycle visits a ~p state.
// A behaviour may stutter, so every state carries an implicit self-loop; a cycle is a
// strongly connected component (SCC) of the graph restricted to the allowed states. An SCC
// C is fair when it contains a fair behaviour that stays in C; with the behaviour that
// walks every edge of C this is decided class by class:
//   WF A: A is taken on an edge inside C, or A is disabled in some state of C;
//   SF A: A is taken on an edge inside C, or A is enabled in no state of C.
// A WF failure rules out every sub-behaviour too (A stays enabled and untaken), so C is
// dropped. An SF failure does not: a behaviour avoiding the states where A is enabled may
// still be fair, so those states are removed and the SCCs of what is left are examined in
// turn (the Emerson-Lei / Streett refinement). Each round removes every state where some
// failing class is enabled, and a class cannot fail again below, so the refinement depth
// is bounded by the number of SF conditions.
//
// The counterexample is a lasso: the BFS-tree path (a shortest path) to the state where the
// property starts to fail, a shortest path from there into the fair SCC, then a cycle
// through the SCC that meets every fairness condition. It is replayed through the same
// trace machinery as safety counterexamples.

import { showFairness, type FairnessCondition, type Instance, type NamedTemporal } from '../spec.js';
import { fromTemporal } from '../ltl.js';
import { formulaViolation, graphTests, planLtl, searchProduct, Values, type FormulaProperty } from './product.js';
import type { EvalError, IncompleteReason, Progress, TraceStep, Violation } from '../result.js';
import { buildGraph, treePath, type GraphPredicate, type StateGraph } from './graph.js';
import { buildTrace, replay } from './trace.js';
import { Successors } from './successors.js';
import { evalError } from './verdict.js';
import { Workspace } from './scc.js';

export interface LivenessOptions {
  engine?: 'fast' | 'immer';
  /**
   * When a fairness condition is enabled in a state: 'action' (default, as TLC) when some
   * choice of it is enabled and changes the state, even if its successor lies outside the
   * state constraint; 'explored' only when that successor is in the explored graph.
   */
  enabledness?: 'action' | 'explored';
  /** Budget in bytes for the explicit graph and the SCC work arrays. */
  memory?: number;
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

export type LivenessResult<S> =
  | { status: 'ok'; states: number; edges: number; bytes: number; seconds: number }
  | { status: 'violation'; violation: Violation<S>; states: number; edges: number; bytes: number; seconds: number }
  | { status: 'error'; error: EvalError<S>; seconds: number }
  | { status: 'incomplete'; reason: IncompleteReason; seconds: number };

/** Checks the given temporal properties (in order; the first that fails is reported). */
export function checkTemporal<S>(of: Instance<S> | Successors<S>, properties: readonly NamedTemporal<S>[], opts: LivenessOptions = {}): LivenessResult<S> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const succ = of instanceof Successors ? of : new Successors(of, { engine: opts.engine });
  const inst = succ.inst;

  // Formulas, and every property when some fairness condition is a formula, go through the
  // product with the negation automaton (product.ts); the three legacy forms under choice-set
  // fairness are checked on the graph directly, which gives the same verdicts faster.
  const general = (inst.fairness ?? []).some((f) => f.formula !== undefined);
  const leaves = (opts.enabledness ?? 'action') === 'action';
  const viaProduct = (t: NamedTemporal<S>): boolean => t.kind === 'formula' || general;

  // Predicates, in property order: p (and q) of each legacy property.
  const predicates: GraphPredicate<S>[] = [];
  const slots = properties.map((t) => {
    if (t.kind === 'formula' || viaProduct(t)) return { p: -1, q: -1, product: -1 };
    const p = predicates.push({ name: t.name, fn: t.p }) - 1;
    const q = t.kind === 'leadsTo' ? predicates.push({ name: t.name, fn: t.q }) - 1 : -1;
    return { p, q, product: -1 };
  });
  const formulas: FormulaProperty<S>[] = [];
  properties.forEach((t, i) => {
    if (!viaProduct(t)) return;
    slots[i].product = formulas.length;
    const formula = t.kind === 'formula' ? t.formula
      : fromTemporal(t.kind === 'leadsTo' ? { leadsTo: [t.p, t.q] } : t.kind === 'alwaysEventually' ? { alwaysEventually: t.p } : { eventuallyAlways: t.p });
    formulas.push({ name: t.name, doc: t.doc, clause: t.clause, level: t.level, formula });
  });
  const plan = formulas.length > 0 ? planLtl(formulas, inst.fairness ?? [], predicates.length, leaves) : undefined;
  if (plan) predicates.push(...plan.predicates);

  const built = buildGraph(succ, predicates, { memory: opts.memory, onProgress: opts.onProgress, progressInterval: opts.progressInterval }, plan && graphTests(inst, plan));
  if (built.status === 'incomplete') return { status: 'incomplete', reason: built.reason, seconds: seconds() };
  if (built.status === 'error') return { status: 'error', error: graphError(succ, built.failure, built.parent, built.parentChoice), seconds: seconds() };
  const g = built.graph;

  const fair = compileFairness(inst, leaves);
  const work = slots.some((x) => x.product < 0) ? new Workspace(g) : undefined;
  const memory = opts.memory ?? Number.POSITIVE_INFINITY;
  if (g.bytes + (work?.bytes ?? 0) + fair.bytes > memory) return { status: 'incomplete', reason: 'memory', seconds: seconds() };

  let bytes = g.bytes + (work?.bytes ?? 0);
  const values = plan ? new Values(g, plan as never) : undefined;
  for (let i = 0; i < properties.length; i++) {
    const prop = properties[i];
    if (slots[i].product >= 0) {
      const r = searchProduct(g, plan!, slots[i].product, memory - g.bytes, values);
      if (r.status === 'incomplete') return { status: 'incomplete', reason: r.reason, seconds: seconds() };
      bytes = Math.max(bytes, g.bytes + r.bytes);
      if (r.status === 'ok') continue;
      const violation = formulaViolation(succ, g, plan!, slots[i].product, r.lasso, fairnessText(fair.conditions));
      return { status: 'violation', violation, states: g.n, edges: g.edges, bytes, seconds: seconds() };
    }
    if (prop.kind === 'formula') continue; // unreachable: formulas always go through the product
    const lasso = findLasso(g, fair, work!, prop.kind, g.preds[slots[i].p], slots[i].q >= 0 ? g.preds[slots[i].q] : undefined);
    if (!lasso) continue;
    const violation = lassoViolation(succ, fair, prop, lasso);
    return { status: 'violation', violation, states: g.n, edges: g.edges, bytes, seconds: seconds() };
  }
  return { status: 'ok', states: g.n, edges: g.edges, bytes, seconds: seconds() };
}

// ---------------------------------------------------------------------------------------
// Fairness conditions as classes of choices.

interface FairClasses {
  readonly count: number;
  readonly strong: Uint8Array;
  /** Classes of choice c: list[start[c] .. start[c + 1]). */
  readonly start: Int32Array;
  readonly list: Int32Array;
  readonly conditions: readonly FairnessCondition[];
  readonly bytes: number;
  /** Choices whose successors lie outside the constraint count as enabled (TLC's reading). */
  readonly leaves: boolean;
}

function compileFairness<S>(inst: Instance<S>, leaves: boolean): FairClasses {
  const conditions = inst.fairness ?? [];
  const nChoices = inst.choices.length;
  const per: number[][] = Array.from({ length: nChoices }, () => []);
  conditions.forEach((f, k) => {
    for (const c of f.choices) if (!per[c].includes(k)) per[c].push(k);
  });
  const start = new Int32Array(nChoices + 1);
  for (let c = 0; c < nChoices; c++) start[c + 1] = start[c] + per[c].length;
  const list = new Int32Array(start[nChoices]);
  per.forEach((ks, c) => list.set(ks, start[c]));
  const strong = new Uint8Array(conditions.length);
  conditions.forEach((f, k) => (strong[k] = f.kind === 'strong' ? 1 : 0));
  return { count: conditions.length, strong, start, list, conditions, bytes: start.byteLength + list.byteLength, leaves };
}

// ---------------------------------------------------------------------------------------
// Fair SCCs.

/**
 * Marks in `work.fairComp` the nodes of every fair SCC of the subgraph induced by the nodes
 * for which `allowed` is 1 (all nodes when undefined). When `must` is given, only SCCs that
 * contain a node where `must` is 0 count (<>[]p: a ~p state visited infinitely often).
 * Returns the number of fair components.
 */
function markFairSccs(g: StateGraph, fair: FairClasses, work: Workspace, allowed: Uint8Array | undefined, allowedValue: number, mustMiss: Uint8Array | undefined): number {
  const { edgeStart, edgeTarget, edgeChoice } = g;
  const K = fair.count;
  const enabledCount = new Int32Array(K);
  const taken = new Uint8Array(K);
  const lastNode = new Int32Array(K).fill(-1);
  const failing = new Uint8Array(K);
  work.fairComp.fill(-1);
  let fairCount = 0;
  const pending: Int32Array[] = [];

  const analyse = (comp: Int32Array): void => {
    if (mustMiss) {
      let hit = false;
      for (let i = 0; i < comp.length && !hit; i++) hit = mustMiss[comp[i]] === 0;
      if (!hit) return;
    }
    if (K > 0) {
      const ctok = work.nextToken();
      for (let i = 0; i < comp.length; i++) work.comp[comp[i]] = ctok;
      enabledCount.fill(0);
      taken.fill(0);
      lastNode.fill(-1);
      // Each class enabled in v counts once for v: by an edge, or by a step leaving the constraint.
      const enable = (v: number, c: number): void => {
        for (let j = fair.start[c]; j < fair.start[c + 1]; j++) {
          const k = fair.list[j];
          if (lastNode[k] !== v) {
            lastNode[k] = v;
            enabledCount[k]++;
          }
        }
      };
      for (let i = 0; i < comp.length; i++) {
        const v = comp[i];
        for (let e = edgeStart[v]; e < edgeStart[v + 1]; e++) {
          const c = edgeChoice[e];
          enable(v, c);
          if (work.comp[edgeTarget[e]] === ctok) for (let j = fair.start[c]; j < fair.start[c + 1]; j++) taken[fair.list[j]] = 1;
        }
        if (fair.leaves) for (let e = g.leaveStart[v]; e < g.leaveStart[v + 1]; e++) enable(v, g.leaveChoice[e]);
      }
      let anyStrongFails = false;
      for (let k = 0; k < K; k++) {
        failing[k] = 0;
        if (taken[k]) continue;
        if (!fair.strong[k] && enabledCount[k] === comp.length) return; // WF violated by every behaviour in C
        if (fair.strong[k] && enabledCount[k] > 0) {
          failing[k] = 1;
          anyStrongFails = true;
        }
      }
      if (anyStrongFails) {
        // Keep the states where no failing SF class is enabled; examine their SCCs later.
        const keep = new Int32Array(comp.length);
        let m = 0;
        for (let i = 0; i < comp.length; i++) {
          const v = comp[i];
          let drop = false;
          for (let e = edgeStart[v]; e < edgeStart[v + 1] && !drop; e++) {
            const c = edgeChoice[e];
            for (let j = fair.start[c]; j < fair.start[c + 1]; j++) if (failing[fair.list[j]]) drop = true;
          }
          if (fair.leaves)
            for (let e = g.leaveStart[v]; e < g.leaveStart[v + 1] && !drop; e++) {
              const c = g.leaveChoice[e];
              for (let j = fair.start[c]; j < fair.start[c + 1]; j++) if (failing[fair.list[j]]) drop = true;
            }
          if (!drop) keep[m++] = v;
        }
        if (m > 0) pending.push(keep.subarray(0, m));
        return;
      }
    }
    const id = fairCount++;
    for (let i = 0; i < comp.length; i++) work.fairComp[comp[i]] = id;
  };

  // The first round runs on the allowed nodes, in number order.
  const n = g.n;
  const nodes = work.queue;
  let len = 0;
  for (let v = 0; v < n; v++) if (!allowed || allowed[v] === allowedValue) nodes[len++] = v;
  work.sccs(nodes, len, analyse);
  while (pending.length > 0) {
    const set = pending.pop()!;
    work.sccs(set, set.length, analyse);
  }
  return fairCount;
}

// ---------------------------------------------------------------------------------------
// Lassos.

interface Lasso {
  /** Choices: [initial-state index, choice, …] through the prefix and then the cycle. */
  readonly path: number[];
  /** Index (in states) where the cycle starts; the last state is that state again. */
  readonly loop: number;
  /** Index of the state from which the property fails (p ~> q: the p-state). */
  readonly from: number;
}

/** The three forms this file checks on the graph directly. */
type LegacyTemporal<S = unknown> = Exclude<NamedTemporal<S>, { kind: 'formula' }>;

function findLasso(g: StateGraph, fair: FairClasses, work: Workspace, kind: LegacyTemporal['kind'], p: Uint8Array, q: Uint8Array | undefined): Lasso | undefined {
  if (kind === 'eventuallyAlways') {
    // A fair SCC that visits a ~p state: enter it at its ~p state nearest the initial states.
    if (markFairSccs(g, fair, work, undefined, 0, p) === 0) return undefined;
    let e = -1;
    for (let v = 0; v < g.n && e < 0; v++) if (work.fairComp[v] >= 0 && p[v] === 0) e = v;
    const prefix = treePath(g.parent, g.parentChoice, e);
    const cycle = fairCycle(g, fair, work, e);
    return { path: [...prefix, ...cycle], loop: prefix.length - 1, from: prefix.length - 1 };
  }
  // p ~> q (and []<>p as TRUE ~> p): fair SCCs among ~q states, then the states that reach one.
  const avoid = kind === 'leadsTo' ? q! : p;
  if (markFairSccs(g, fair, work, avoid, 0, undefined) === 0) return undefined;
  const { dist, queue } = work;
  const rev = work.reverse();
  dist.fill(-1);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < g.n; v++)
    if (work.fairComp[v] >= 0) {
      dist[v] = 0;
      queue[tail++] = v;
    }
  while (head < tail) {
    const u = queue[head++];
    for (let e = rev.start[u]; e < rev.start[u + 1]; e++) {
      const w = rev.source[e];
      if (dist[w] === -1 && avoid[w] === 0) {
        dist[w] = dist[u] + 1;
        queue[tail++] = w;
      }
    }
  }
  // The start: a (p /\ ~q)-state that reaches a fair SCC, with the shortest lasso stem.
  const depth = new Int32Array(g.n);
  let s = -1;
  let best = Number.POSITIVE_INFINITY;
  for (let v = 0; v < g.n; v++) {
    const par = g.parent[v];
    depth[v] = par < 0 ? 0 : depth[par] + 1;
    if (dist[v] < 0 || (kind === 'leadsTo' && p[v] === 0)) continue;
    if (depth[v] + dist[v] < best) {
      best = depth[v] + dist[v];
      s = v;
    }
  }
  if (s < 0) return undefined;
  const prefix = treePath(g.parent, g.parentChoice, s);
  const from = prefix.length - 1;
  // Down the distance gradient into the fair SCC, through ~q states.
  const stem: number[] = [];
  let v = s;
  while (dist[v] > 0) {
    let next = -1;
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1] && next < 0; e++) {
      const w = g.edgeTarget[e];
      if (dist[w] === dist[v] - 1 && avoid[w] === 0) {
        next = w;
        stem.push(g.edgeChoice[e]);
      }
    }
    if (next < 0) throw new Error('liveness: broken distance gradient (internal error)');
    v = next;
  }
  const cycle = fairCycle(g, fair, work, v);
  return { path: [...prefix, ...stem, ...cycle], loop: from + stem.length, from };
}

/**
 * A cycle from `e` back to `e` inside e's fair SCC that meets every fairness condition:
 * each WF class is taken on it or disabled in one of its states, each SF class that is
 * taken inside the SCC is taken on it (the others are enabled nowhere in the SCC). Returns
 * the choices of its steps; empty when stuttering in `e` is already fair.
 */
function fairCycle(g: StateGraph, fair: FairClasses, work: Workspace, e: number): number[] {
  const { edgeStart, edgeTarget, edgeChoice } = g;
  const K = fair.count;
  const cid = work.fairComp[e];
  const inC = (v: number) => work.fairComp[v] === cid;
  const pending = new Uint8Array(K);
  // SF classes taken inside C must be taken on the cycle.
  if (K > 0)
    for (let v = 0; v < g.n; v++) {
      if (!inC(v)) continue;
      for (let x = edgeStart[v]; x < edgeStart[v + 1]; x++) {
        if (!inC(edgeTarget[x])) continue;
        const c = edgeChoice[x];
        for (let j = fair.start[c]; j < fair.start[c + 1]; j++) if (fair.strong[fair.list[j]]) pending[fair.list[j]] = 1;
      }
    }
  // WF classes are pending until seen disabled or taken.
  const enabledAt = new Uint8Array(K);
  const computeEnabled = (v: number) => {
    enabledAt.fill(0);
    for (let x = edgeStart[v]; x < edgeStart[v + 1]; x++) {
      const c = edgeChoice[x];
      for (let j = fair.start[c]; j < fair.start[c + 1]; j++) enabledAt[fair.list[j]] = 1;
    }
    if (fair.leaves)
      for (let x = g.leaveStart[v]; x < g.leaveStart[v + 1]; x++) {
        const c = g.leaveChoice[x];
        for (let j = fair.start[c]; j < fair.start[c + 1]; j++) enabledAt[fair.list[j]] = 1;
      }
  };
  computeEnabled(e);
  for (let k = 0; k < K; k++) if (!fair.strong[k] && enabledAt[k]) pending[k] = 1;
  const visitNode = (v: number) => {
    computeEnabled(v);
    for (let k = 0; k < K; k++) if (!fair.strong[k] && !enabledAt[k]) pending[k] = 0;
  };
  const takeChoice = (c: number) => {
    for (let j = fair.start[c]; j < fair.start[c + 1]; j++) pending[fair.list[j]] = 0;
  };
  const satisfiesNode = (v: number) => {
    computeEnabled(v);
    for (let k = 0; k < K; k++) if (pending[k] && !fair.strong[k] && !enabledAt[k]) return true;
    return false;
  };
  const satisfiesChoice = (c: number) => {
    for (let j = fair.start[c]; j < fair.start[c + 1]; j++) if (pending[fair.list[j]]) return true;
    return false;
  };

  const steps: number[] = [];
  let cur = e;
  /** BFS inside C from `cur` to the nearest node (target 'node') or edge (target 'edge') that satisfies; appends the path. */
  const walk = (isGoalNode: (v: number) => boolean, isGoalEdge: (c: number) => boolean): void => {
    const { seen, prev, prevChoice, queue } = work;
    const tok = work.nextToken();
    let head = 0;
    let tail = 0;
    seen[cur] = tok;
    prev[cur] = -1;
    queue[tail++] = cur;
    let end = -1;
    let lastChoice = -1;
    while (head < tail && end < 0) {
      const u = queue[head++];
      if (u !== cur && isGoalNode(u)) {
        end = u;
        break;
      }
      for (let x = edgeStart[u]; x < edgeStart[u + 1]; x++) {
        const w = edgeTarget[x];
        if (!inC(w)) continue;
        if (isGoalEdge(edgeChoice[x])) {
          end = u;
          lastChoice = x;
          break;
        }
        if (seen[w] !== tok) {
          seen[w] = tok;
          prev[w] = u;
          prevChoice[w] = edgeChoice[x];
          queue[tail++] = w;
        }
      }
    }
    if (end < 0) throw new Error('liveness: no fair cycle through the component (internal error)');
    const back: number[] = [];
    const nodes: number[] = [];
    for (let v = end; v !== cur; v = prev[v]) {
      back.push(prevChoice[v]);
      nodes.push(v);
    }
    back.reverse();
    nodes.reverse();
    for (let i = 0; i < back.length; i++) {
      steps.push(back[i]);
      takeChoice(back[i]);
      visitNode(nodes[i]);
    }
    cur = end;
    if (lastChoice >= 0) {
      steps.push(edgeChoice[lastChoice]);
      takeChoice(edgeChoice[lastChoice]);
      cur = edgeTarget[lastChoice];
      visitNode(cur);
    }
  };

  const anyPending = () => pending.some((x) => x === 1);
  while (anyPending()) walk(satisfiesNode, satisfiesChoice);
  if (cur !== e) walk((v) => v === e, () => false);
  return steps;
}

// ---------------------------------------------------------------------------------------
// Reporting.

const describeKind: Record<LegacyTemporal['kind'], string> = {
  leadsTo: 'p ~> q',
  alwaysEventually: '[]<>p',
  eventuallyAlways: '<>[]p',
};

function fairnessText(conds: readonly FairnessCondition[]): string {
  if (conds.length === 0) return 'no fairness assumed';
  return 'assuming ' + conds.map(showFairness).join(', ');
}

function lassoViolation<S>(succ: Successors<S>, fair: FairClasses, prop: LegacyTemporal<S>, lasso: Lasso): Violation<S> {
  const inst = succ.inst;
  const rep = replay(succ, lasso.path);
  const trace = buildTrace(inst, lasso.path.slice(0, rep.states.length), rep.states) as TraceStep<S>[];
  const base = { clause: prop.clause, level: prop.level, doc: prop.doc };
  if (!rep.ok) return { kind: 'nondeterminism', name: 'Replay', message: rep.message, trace };
  const mismatch = confirm(succ, prop, lasso, rep.states);
  if (mismatch) return { kind: 'nondeterminism', name: 'Replay', message: mismatch, trace, loop: lasso.loop };
  const last = trace.length - 1;
  const cycle = lasso.loop === last
    ? `the behaviour then stutters in state ${last} for ever`
    : `the steps from state ${lasso.loop} to state ${last} (= state ${lasso.loop}) repeat for ever`;
  let what: string;
  switch (prop.kind) {
    case 'leadsTo':
      what = `state ${lasso.from} satisfies the premise and no later state satisfies the goal`;
      break;
    case 'alwaysEventually':
      what = `from state ${lasso.from} on, no state satisfies the property`;
      break;
    case 'eventuallyAlways':
      what = `state ${lasso.loop} does not satisfy the property and is visited infinitely often`;
      break;
  }
  return {
    kind: 'liveness',
    name: prop.name,
    message: `temporal property ${prop.name} (${describeKind[prop.kind]}) is violated: ${what}; ${cycle} (${fairnessText(fair.conditions)})`,
    ...base,
    trace,
    loop: lasso.loop,
  };
}

/** Re-evaluates the lasso on the replayed states; a different verdict means the spec is not deterministic. */
function confirm<S>(succ: Successors<S>, prop: LegacyTemporal<S>, lasso: Lasso, states: readonly S[]): string | undefined {
  const note = 'replay: the liveness counterexample found on the graph does not reproduce when replayed; the spec is not deterministic';
  try {
    const same = succ.same(states[lasso.loop], states[states.length - 1]);
    if (!same) return `${note} (the cycle does not return to state ${lasso.loop})`;
    const tail = states.slice(lasso.from);
    switch (prop.kind) {
      case 'leadsTo':
        return prop.p(states[lasso.from]) && tail.every((s) => !prop.q(s)) ? undefined : note;
      case 'alwaysEventually':
        return tail.every((s) => !prop.p(s)) ? undefined : note;
      case 'eventuallyAlways':
        return !prop.p(states[lasso.loop]) ? undefined : note;
    }
  } catch (e) {
    return `${note} (${(e as Error)?.message ?? String(e)})`;
  }
}

function graphError<S>(succ: Successors<S>, f: { phase: EvalError['phase']; error: unknown; name?: string; at: number; choice?: number }, parent: Int32Array, parentChoice: Uint32Array): EvalError<S> {
  const path = f.at < 0 ? [f.choice ?? 0] : treePath(parent, parentChoice, f.at);
  return evalError(succ, path, f.at >= 0 ? f.choice : undefined, f);
}
