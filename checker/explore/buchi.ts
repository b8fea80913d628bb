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

  // Successor lists from the incoming sets, then states without an infinite run removed
  // (a node whose every continuation was contradictory has no successor).
  const succ: number[][] = done.map(() => []);
  done.forEach((d, id) => {
    for (const i of d.incoming) if (i !== INIT) succ[i].push(id);
  });
  const alive = pruneDead(succ);
  const renumber = new Int32Array(done.length).fill(-1);
  let count = 0;
  for (let i = 0; i < done.length; i++) if (alive[i]) renumber[i] = count++;

  const states: BuchiState[] = [];
  const initial: number[] = [];
  for (let i = 0; i < done.length; i++) {
    if (!alive[i]) continue;
    const label: Literal[] = [];
    for (const x of [...done[i].old].sort((a, b) => a - b)) {
      const g = subs.get(x);
      if (g.op === 'lit') label.push({ atom: subs.atomIndex(g.atom), positive: g.positive });
    }
    states.push({ label, next: succ[i].filter((j) => alive[j]).map((j) => renumber[j]).sort((a, b) => a - b) });
    if (done[i].incoming.has(INIT)) initial.push(renumber[i]);
  }
  const acceptance: Uint8Array[] = [];
  for (const u of subs.untils()) {
    const right = subs.right(u);
    const set = new Uint8Array(count);
    for (let i = 0; i < done.length; i++) if (alive[i] && (!done[i].old.has(u) || done[i].old.has(right))) set[renumber[i]] = 1;
    acceptance.push(set);
  }
  return { formula: f, atoms, states, initial, acceptance };
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

/** States from which an infinite path exists (greatest fixpoint: repeatedly drop states with no live successor). */
function pruneDead(succ: readonly number[][]): Uint8Array {
  const n = succ.length;
  const alive = new Uint8Array(n).fill(1);
  const pred: number[][] = succ.map(() => []);
  const outDeg = new Int32Array(n);
  succ.forEach((s, i) => {
    outDeg[i] = s.length;
    for (const j of s) pred[j].push(i);
  });
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (outDeg[i] === 0) queue.push(i);
  while (queue.length > 0) {
    const i = queue.pop()!;
    if (!alive[i]) continue;
    alive[i] = 0;
    for (const p of pred[i]) if (alive[p] && --outDeg[p] === 0) queue.push(p);
  }
  return alive;
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
