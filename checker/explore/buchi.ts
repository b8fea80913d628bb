// From an LTL formula in negation normal form to a generalised Büchi automaton, by the
// on-the-fly tableau of Gerth, Peled, Vardi and Wolper ("Simple on-the-fly automatic
// verification of linear temporal logic", PSTV 1995). No npm package does this in plain
// JavaScript and is maintained (docs/decisions/ltl.md), so it is written here.
//
// A tableau node holds the subformulas that must hold now (`old`, of which the literals are
// the node's label) and those that must hold from the next position on (`next`). Nodes are
// completed by taking apart the formulas still to be processed (`todo`): a conjunction adds
// both sides, a disjunction splits the node in two, and U and R are unfolded once,
//   P U Q = Q \/ (P /\ X(P U Q)),   P R Q = Q /\ (P \/ X(P R Q)),
// with the X part going to `next`. A completed node equal (same `old` and `next`) to one
// already built is merged into it, otherwise it is kept and its `next` starts a new node.
// Each U subformula P U Q gives one acceptance set: the nodes that do not promise it or
// that fulfil it (Q now). A run visiting each set infinitely often never postpones an
// eventuality for ever.
//
// The automaton's meaning (what the product in the engine relies on): a run on the word
// w0 w1 w2 … (wi the values of the atoms at position i, see ltl.ts) is q0 q1 q2 … with q0
// initial, q(i+1) a successor of qi, and the label of qi true of wi. It is accepting when
// it meets every acceptance set infinitely often (every infinite run, when there is no set).
// The word is accepted iff some run is accepting, iff the formula holds of it.

import { SpecError } from '../errors.js';
import { atomsOf, sameAtom, show, toNnf, type Atom, type Formula, type Nnf } from '../ltl.js';

/** An atom (index into `Buchi.atoms`) that must be true, or false. */
export interface Literal {
  readonly atom: number;
  readonly positive: boolean;
}

export interface BuchiState {
  /** Literals that hold at the position where the run is in this state. */
  readonly label: readonly Literal[];
  /** Successor states. */
  readonly next: readonly number[];
}

/** A generalised Büchi automaton with labels on states. */
export interface Buchi<S = unknown> {
  /** The formula it accepts the models of. */
  readonly formula: Nnf<S>;
  /** The atoms its literals refer to, as `atomsOf(formula)` orders them. */
  readonly atoms: readonly Atom<S>[];
  readonly states: readonly BuchiState[];
  readonly initial: readonly number[];
  /**
   * The acceptance sets, one per U subformula, each one byte per state (1 = member). An
   * accepting run visits every set infinitely often; with no sets every infinite run accepts.
   */
  readonly acceptance: readonly Uint8Array[];
}

export interface BuchiOptions {
  /** Stop with a SpecError beyond this many tableau nodes (default 100,000). */
  readonly maxStates?: number;
  /** Apply `reduce` (default true). */
  readonly reduce?: boolean;
}

/** The automaton of the behaviours on which `f` (in negation normal form) holds. */
export function buchi<S>(f: Nnf<S>, opts: BuchiOptions = {}): Buchi<S> {
  const maxStates = opts.maxStates ?? 100_000;
  const atoms = atomsOf(f);
  const subs = new Subformulas<S>(atoms);
  const root = subs.intern(f);

  interface Pending { incoming: Set<number>; todo: number[]; old: Set<number>; next: Set<number> }
  interface Done { incoming: Set<number>; old: Set<number>; next: Set<number>; key: string }
  const INIT = -1;
  const done: Done[] = [];
  const byKey = new Map<string, number>();
  const work: Pending[] = [{ incoming: new Set([INIT]), todo: [root], old: new Set(), next: new Set() }];

  const split = (n: Pending, addTodo: number[], addNext: number[]): Pending => ({
    incoming: new Set(n.incoming),
    todo: [...n.todo, ...addTodo.filter((x) => !n.old.has(x))],
    old: new Set(n.old),
    next: new Set([...n.next, ...addNext]),
  });

  while (work.length > 0) {
    const n = work.pop()!;
    if (n.todo.length === 0) {
      const key = `${[...n.old].sort((a, b) => a - b).join(',')}|${[...n.next].sort((a, b) => a - b).join(',')}`;
      const same = byKey.get(key);
      if (same !== undefined) {
        for (const i of n.incoming) done[same].incoming.add(i);
        continue;
      }
      if (done.length >= maxStates) throw new SpecError(`the automaton of ${show(f)} has more than ${maxStates} states; simplify the property`);
      const id = done.push({ incoming: n.incoming, old: n.old, next: n.next, key }) - 1;
      byKey.set(key, id);
      work.push({ incoming: new Set([id]), todo: [...n.next], old: new Set(), next: new Set() });
      continue;
    }
    const eta = n.todo.pop()!;
    if (n.old.has(eta)) {
      work.push(n);
      continue;
    }
    const g = subs.get(eta);
    switch (g.op) {
      case 'false':
        continue; // the node is contradictory: dropped
      case 'true':
        n.old.add(eta);
        work.push(n);
        continue;
      case 'lit':
        if (n.old.has(subs.negation(eta))) continue;
        n.old.add(eta);
        work.push(n);
        continue;
      case 'and':
        n.old.add(eta);
        for (const x of [g.left, g.right]) if (!n.old.has(x)) n.todo.push(x);
        work.push(n);
        continue;
      case 'or':
        n.old.add(eta);
        work.push(split(n, [g.left], []), split(n, [g.right], []));
        continue;
      case 'until':
        n.old.add(eta);
        work.push(split(n, [g.left], [eta]), split(n, [g.right], []));
        continue;
      case 'release':
        n.old.add(eta);
        work.push(split(n, [g.right], [eta]), split(n, [g.left, g.right], []));
        continue;
    }
  }

  // Successor lists from the incoming sets; labels are the literals among `old`.
  const states: BuchiState[] = done.map((d) => ({
    label: [...d.old].sort((a, b) => a - b).flatMap((x) => {
      const g = subs.get(x);
      return g.op === 'lit' ? [{ atom: subs.atomIndex(g.atom), positive: g.positive }] : [];
    }),
    next: [] as number[],
  }));
  done.forEach((d, id) => {
    for (const i of d.incoming) if (i !== INIT) (states[i].next as number[]).push(id);
  });
  const initial = done.flatMap((d, id) => (d.incoming.has(INIT) ? [id] : []));
  const acceptance = subs.untils().map((u) => {
    const right = subs.right(u);
    return Uint8Array.from(done, (d) => (!d.old.has(u) || d.old.has(right) ? 1 : 0));
  });
  const raw: Buchi<S> = { formula: f, atoms, states, initial, acceptance };
  return opts.reduce === false ? raw : reduce(raw);
}

/**
 * The same language with fewer states: states from which no run is accepting are removed,
 * then states with the same label, the same acceptance sets and successors in the same
 * classes are merged (the coarsest such partition, a bisimulation that respects labels and
 * acceptance, so every run of the quotient lifts to a run of the original).
 */
export function reduce<S>(b: Buchi<S>): Buchi<S> {
  const n = b.states.length;
  const useful = usefulStates(b);
  // Partition refinement, starting from label and acceptance membership.
  let cls: Int32Array;
  const labelKey = (i: number) => `${b.states[i].label.map((l) => `${l.positive ? '+' : '-'}${l.atom}`).join(',')}|${b.acceptance.map((a) => a[i]).join('')}`;
  const number = (key: (i: number) => string): [Int32Array, number] => {
    const ids = new Map<string, number>();
    const out = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      if (!useful[i]) continue;
      const k = key(i);
      let c = ids.get(k);
      if (c === undefined) ids.set(k, (c = ids.size));
      out[i] = c;
    }
    return [out, ids.size];
  };
  let count: number;
  [cls, count] = number(labelKey);
  for (;;) {
    const prev = cls;
    const succKey = (i: number) => `${prev[i]}:${[...new Set(b.states[i].next.filter((j) => useful[j]).map((j) => prev[j]))].sort((x, y) => x - y).join(',')}`;
    const [next, nextCount] = number(succKey);
    cls = next;
    if (nextCount === count) break;
    count = nextCount;
  }
  const rep = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) if (useful[i] && rep[cls[i]] < 0) rep[cls[i]] = i;
  const states: BuchiState[] = Array.from(rep, (i) => ({
    label: b.states[i].label,
    next: [...new Set(b.states[i].next.filter((j) => useful[j]).map((j) => cls[j]))].sort((x, y) => x - y),
  }));
  const initial = [...new Set(b.initial.filter((i) => useful[i]).map((i) => cls[i]))].sort((x, y) => x - y);
  const acceptance = b.acceptance.map((a) => Uint8Array.from(rep, (i) => a[i]));
  return { formula: b.formula, atoms: b.atoms, states, initial, acceptance };
}

/** The automaton of the behaviours on which `f` fails: the one the product searches for a run of. */
export function negationAutomaton<S>(f: Formula<S>, opts: BuchiOptions = {}): Buchi<S> {
  return buchi(toNnf(f, true), opts);
}

/** Whether a state's label holds where the atoms have the values `value(atom index)`. */
export function labelHolds(label: readonly Literal[], value: (atom: number) => boolean): boolean {
  for (const l of label) if (value(l.atom) !== l.positive) return false;
  return true;
}

/**
 * States from which some run is accepting: those that reach a strongly connected component
 * with an inner edge and a state of every acceptance set (Tarjan's algorithm, iterative).
 */
function usefulStates<S>(b: Buchi<S>): Uint8Array {
  const n = b.states.length;
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n);
  const good = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const call: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root); onStack[root] = 1;
    while (call.length > 0) {
      const top = call[call.length - 1];
      const [v, e] = top;
      const out = b.states[v].next;
      if (e < out.length) {
        top[1]++;
        const w = out[e];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w); onStack[w] = 1;
          call.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      call.pop();
      if (call.length > 0) { const u = call[call.length - 1][0]; low[u] = Math.min(low[u], low[v]); }
      if (low[v] !== index[v]) continue;
      const comp: number[] = [];
      let w: number;
      do { w = stack.pop()!; onStack[w] = 0; comp.push(w); } while (w !== v);
      const inside = new Set(comp);
      const cyclic = comp.some((c) => b.states[c].next.some((d) => inside.has(d)));
      if (cyclic && b.acceptance.every((a) => comp.some((c) => a[c] === 1))) for (const c of comp) good[c] = 1;
    }
  }
  // Backwards from the good components.
  const pred: number[][] = b.states.map(() => []);
  b.states.forEach((s, i) => { for (const j of s.next) pred[j].push(i); });
  const useful = Uint8Array.from(good);
  const queue = [...good.keys()].filter((i) => good[i]);
  while (queue.length > 0) for (const p of pred[queue.pop()!]) if (!useful[p]) { useful[p] = 1; queue.push(p); }
  return useful;
}

// ---------------------------------------------------------------------------------------
// Subformulas numbered once each, so that node sets are sets of small integers.

type Interned =
  | { readonly op: 'true' | 'false' }
  | { readonly op: 'lit'; readonly atom: number; readonly positive: boolean }
  | { readonly op: 'and' | 'or' | 'until' | 'release'; readonly left: number; readonly right: number };

class Subformulas<S> {
  private readonly table: Interned[] = [];
  private readonly ids = new Map<string, number>();

  constructor(private readonly atoms: readonly Atom<S>[]) {}

  intern(f: Nnf<S>): number {
    switch (f.op) {
      case 'true': case 'false': return this.add({ op: f.op });
      case 'lit': return this.add({ op: 'lit', atom: this.atomIndex(f.atom), positive: f.positive });
      default: {
        const left = this.intern(f.left);
        const right = this.intern(f.right);
        return this.add({ op: f.op, left, right });
      }
    }
  }

  get(id: number): { op: 'true' | 'false' } | { op: 'lit'; atom: Atom<S>; positive: boolean } | { op: 'and' | 'or' | 'until' | 'release'; left: number; right: number } {
    const g = this.table[id];
    return g.op === 'lit' ? { op: 'lit', atom: this.atoms[g.atom], positive: g.positive } : g;
  }

  /** The id of the complementary literal of literal `id` (added if new). */
  negation(id: number): number {
    const g = this.table[id] as Extract<Interned, { op: 'lit' }>;
    return this.add({ op: 'lit', atom: g.atom, positive: !g.positive });
  }

  atomIndex(a: Atom<S>): number {
    const i = this.atoms.findIndex((b) => sameAtom(a, b));
    if (i < 0) throw new Error('buchi: an atom of the formula is missing from its atom list');
    return i;
  }

  /** The right operand of the binary subformula `id`. */
  right(id: number): number {
    return (this.table[id] as Extract<Interned, { left: number }>).right;
  }

  /** Ids of the U subformulas, in numbering order. */
  untils(): number[] {
    return this.table.flatMap((g, i) => (g.op === 'until' ? [i] : []));
  }

  private add(g: Interned): number {
    const key = g.op === 'lit' ? `${g.positive ? '+' : '-'}${g.atom}` : 'left' in g ? `${g.op}(${g.left},${g.right})` : g.op;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.table.push(g) - 1;
      this.ids.set(key, id);
    }
    return id;
  }
}
