// A bounded brute-force search for fair counterexamples to an LTL formula, written without
// the engine's graph, SCC or automaton code: every lasso of the spec's behaviours up to a
// given number of steps (stuttering steps included anywhere) is enumerated, and one is a
// counterexample when it is fair and `holdsOnLasso` finds the formula false on it. Finding
// one proves a violation exists; finding none proves nothing beyond the bound. It is the
// completeness half of the phase 2 test plan (docs/decisions/ltl.md); the soundness half is
// checking each counterexample the engine returns.
//
// States are compared by value; a spec with a `view` is not supported here.

import { isDeepStrictEqual } from 'node:util';
import { defaultLabel, type Instance } from '../../checker/index.js';
import { actionAtomHolds, actionFormulaHolds, angle, holdsOnLasso, type Atom, type Formula, type StepContext } from '../../checker/ltl.js';
import type { Violation } from '../../checker/index.js';

/** A step of the explored graph: a choice index (-1: stuttering) and the target state id. */
interface Edge { readonly choice: number; readonly to: number }

/** A fairness condition judged on the graph: taken on a step, enabled at a state. */
export interface OracleCondition {
  readonly name: string;
  readonly kind: 'weak' | 'strong';
  readonly taken: (from: number, e: Edge) => boolean;
  readonly enabled: (state: number) => boolean;
}

export interface OracleGraph<S> {
  readonly states: readonly S[];
  /** Out-steps of each state, stuttering step last. */
  readonly out: readonly (readonly Edge[])[];
  /** Steps of each state back to itself (not behaviour steps: they count for ENABLED A only). */
  readonly self: readonly (readonly Edge[])[];
  readonly initial: readonly number[];
  readonly context: (from: number, e: Edge) => StepContext<S>;
}

/** The reachable states and their state-changing steps (within the constraint), plus stuttering. */
export function exploreGraph<S>(inst: Instance<S>): OracleGraph<S> {
  const states: S[] = [];
  const out: Edge[][] = [];
  const self: Edge[][] = [];
  const find = (s: S) => states.findIndex((x) => isDeepStrictEqual(x, s));
  const add = (s: S) => {
    const i = find(s);
    if (i >= 0) return i;
    states.push(s);
    out.push([]);
    self.push([]);
    return states.length - 1;
  };
  const initial = [...new Set(inst.init.map(add))];
  for (let i = 0; i < states.length; i++) {
    const s = states[i];
    inst.choices.forEach((c, k) => {
      const a = inst.actions[c.action];
      if (a.def.enabled && !a.def.enabled(s, c.param)) return;
      const d = structuredClone(s);
      const r = a.def.next(d, c.param);
      const t = (r === undefined ? d : r) as S;
      if (inst.constraint && !inst.constraint(t)) return;
      if (isDeepStrictEqual(t, s)) {
        self[i].push({ choice: k, to: i });
        return;
      }
      out[i].push({ choice: k, to: add(t) });
    });
    out[i].push({ choice: -1, to: i });
  }
  const context = (from: number, e: Edge): StepContext<S> => {
    if (e.choice < 0) return { before: states[from], after: states[from], step: { action: '', param: undefined }, label: '', stutter: true };
    const c = inst.choices[e.choice];
    const a = inst.actions[c.action];
    return { before: states[from], after: states[e.to], step: { action: a.name, param: c.param }, label: defaultLabel(a.name, a.hasParams, c.param), stutter: false };
  };
  return { states, out, self, initial, context };
}

/** The instance's fairness conditions (choice sets, or WF/SF_v(A) of a formula A) as oracle conditions. */
export function legacyConditions<S>(inst: Instance<S>, g: OracleGraph<S>): OracleCondition[] {
  return (inst.fairness ?? []).map((f) => {
    const step = f.formula ? angle(f.formula.action as Formula<S>, f.formula.vars) : undefined;
    const taken = (from: number, e: Edge) => (step ? e.choice >= 0 && actionFormulaHolds(step, g.context(from, e)) : f.choices.includes(e.choice));
    return { name: f.name, kind: f.kind, taken, enabled: (x: number) => g.out[x].some((e) => taken(x, e)) };
  });
}

/** Whether a lasso of the graph is fair under `conditions` and falsifies `f` (independently of the engine). */
export function judgeLasso<S>(g: OracleGraph<S>, f: Formula<S>, conditions: readonly OracleCondition[], lasso: OracleLasso): boolean {
  const { path, steps, loop } = lasso;
  const n = steps.length;
  // TLA+'s ENABLED A: some successor, the same state included, satisfies A.
  const enabledAtom = (a: Atom<S>, x: number) => a.kind === 'enabled' && [...g.out[x], ...g.self[x]].some((e) => actionFormulaHolds(a.action, g.context(x, e)));
  const value = (a: Atom<S>, i: number): boolean =>
    a.kind === 'state' ? a.fn(g.states[path[i]]) === true
      : a.kind === 'enabled' ? enabledAtom(a, path[i])
        : actionAtomHolds(a, g.context(path[i], steps[i]));
  if (holdsOnLasso(f, { length: n, loop }, value)) return false;
  const loopPositions = Array.from({ length: n - loop }, (_, k) => loop + k);
  return conditions.every((c) => {
    if (loopPositions.some((i) => c.taken(path[i], steps[i]))) return true;
    const en = loopPositions.map((i) => c.enabled(path[i]));
    return c.kind === 'weak' ? en.some((e) => !e) : en.every((e) => !e);
  });
}

/** The engine's lasso counterexample as a lasso of the oracle graph, or a message saying why it is no behaviour of the spec. */
export function lassoOfViolation<S>(inst: Instance<S>, g: OracleGraph<S>, v: Violation<S>): OracleLasso | string {
  const ids = v.trace.map((t) => g.states.findIndex((x) => isDeepStrictEqual(x, t.state)));
  if (ids.some((i) => i < 0)) return 'a trace state is not reachable';
  if (v.loop === undefined) return 'no loop';
  if (!g.initial.includes(ids[0])) return 'the first state is not initial';
  const steps: Edge[] = [];
  for (let k = 1; k < v.trace.length; k++) {
    const t = v.trace[k];
    if (t.action === '(stutter)') {
      if (ids[k] !== ids[k - 1]) return `step ${k} stutters but changes the state`;
      steps.push({ choice: -1, to: ids[k] });
      continue;
    }
    const choice = inst.choices.findIndex((c) => inst.actions[c.action].name === t.action && isDeepStrictEqual(c.param, t.param));
    if (!g.out[ids[k - 1]].some((e) => e.choice === choice && e.to === ids[k])) return `step ${k} (${t.label}) is no step of the spec`;
    steps.push({ choice, to: ids[k] });
  }
  const last = ids.length - 1;
  if (v.loop === last) return { path: ids, steps: [...steps, { choice: -1, to: ids[last] }], loop: last };
  if (ids[last] !== ids[v.loop]) return 'the last state is not the loop state';
  return { path: ids.slice(0, -1), steps, loop: v.loop };
}

export interface OracleLasso {
  /** State ids of positions 0 .. n-1; the successor of n-1 is `loop`. */
  readonly path: readonly number[];
  /** steps[i] goes from path[i] to path[i + 1] (to path[loop] for the last). */
  readonly steps: readonly Edge[];
  readonly loop: number;
}

/** The first fair lasso of at most `maxSteps` steps on which `f` is false, in enumeration order. */
export function findCounterexample<S>(g: OracleGraph<S>, f: Formula<S>, conditions: readonly OracleCondition[], maxSteps: number): OracleLasso | undefined {
  const path: number[] = [];
  const steps: Edge[] = [];
  let found: OracleLasso | undefined;
  // positions 0 .. steps.length-1, the last step returns to `loop`
  const judge = (loop: number): boolean => judgeLasso(g, f, conditions, { path, steps, loop });

  const dfs = (): boolean => {
    const last = path[path.length - 1];
    // Close a loop at every earlier occurrence of the last state.
    for (let j = 0; j < path.length - 1; j++)
      if (path[j] === last && judge(j)) {
        found = { path: path.slice(0, -1), steps: [...steps], loop: j };
        return true;
      }
    if (steps.length === maxSteps) return false;
    for (const e of g.out[last]) {
      path.push(e.to);
      steps.push(e);
      if (dfs()) return true;
      path.pop();
      steps.pop();
    }
    return false;
  };
  for (const s of g.initial) {
    path.length = 0;
    steps.length = 0;
    path.push(s);
    if (dfs()) return found;
  }
  return undefined;
}
