// The Büchi automata of checker/explore/buchi.ts against the brute-force lasso semantics of
// ltl-lasso.ts: for random formulas and random ultimately periodic words, the automaton of
// ~F accepts the word iff F is false on it, and the automaton of an NNF formula accepts it
// iff the formula is true. The atoms are of every kind the engine has (state predicate,
// named action, action predicate, UNCHANGED, ENABLED); on a word each is just a bit.

import { describe, it, expect } from 'vitest';
import {
  FALSE, TRUE, action, always, and, enabled, eventually, implies, leadsTo, not, or, pred, sameAtom, show, step, toNnf, unchanged,
  type Atom, type Formula, type Nnf,
} from '../../checker/ltl.js';
import { buchi, labelHolds, negationAutomaton } from '../../checker/explore/buchi.js';
import { SpecError } from '../../checker/errors.js';
import { accepts, evalFormula, evalNnf, randomLasso, rng, showLasso, type AtomValue } from './ltl-lasso.js';

const leaves: Formula<unknown>[] = [
  pred('p', (s: { p: boolean }) => s.p) as Formula<unknown>,
  action('Send'),
  enabled('Recv'),
  step('Grows', (s: number, t: number) => t > s) as Formula<unknown>,
];
const leafAtoms: Atom<unknown>[] = leaves.map((f) => (f as Extract<Formula<unknown>, { op: 'atom' }>).atom);
const value: AtomValue = (a, letter) => {
  const k = leafAtoms.findIndex((b) => sameAtom(a, b));
  if (k < 0) throw new Error(`atom ${a.name} is not one of the test's`);
  return ((letter >> k) & 1) === 1;
};

function randomFormula(rand: () => number, depth: number, atoms: number): Formula<unknown> {
  const leaf = () => (rand() < 0.06 ? (rand() < 0.5 ? TRUE : FALSE) : leaves[Math.floor(rand() * atoms)]);
  if (depth === 0 || rand() < 0.2) return leaf();
  const sub = () => randomFormula(rand, depth - 1, atoms);
  switch (Math.floor(rand() * 8)) {
    case 0: return not(sub());
    case 1: return and(sub(), sub());
    case 2: return or(sub(), sub());
    case 3: return implies(sub(), sub());
    case 4: return always(sub());
    case 5: return eventually(sub());
    case 6: return leadsTo(sub(), sub());
    default: return and(sub(), sub(), sub());
  }
}

function randomNnf(rand: () => number, depth: number, atoms: number): Nnf<unknown> {
  if (depth === 0 || rand() < 0.2) {
    if (rand() < 0.05) return { op: rand() < 0.5 ? 'true' : 'false' };
    return { op: 'lit', atom: leafAtoms[Math.floor(rand() * atoms)], positive: rand() < 0.5 };
  }
  const ops = ['and', 'or', 'until', 'release'] as const;
  return { op: ops[Math.floor(rand() * 4)], left: randomNnf(rand, depth - 1, atoms), right: randomNnf(rand, depth - 1, atoms) };
}

describe('the automaton of ~F', () => {
  it('accepts a random lasso iff F is false on it (600 formulas up to depth 4, 40 lassos each)', () => {
    const seed = 20261202;
    const rand = rng(seed);
    let accepted = 0, rejected = 0;
    for (let k = 0; k < 600; k++) {
      const atoms = 2 + Math.floor(rand() * 3);
      const f = randomFormula(rand, 1 + Math.floor(rand() * 4), atoms);
      const b = negationAutomaton(f);
      const unreduced = negationAutomaton(f, { reduce: false });
      for (let j = 0; j < 40; j++) {
        const w = randomLasso(rand, atoms);
        const holds = evalFormula(f, w, value)[0];
        const acc = accepts(b, w, value);
        if (acc === holds) expect.fail(`seed ${seed}, formula #${k} ${show(f)} on ${showLasso(w, atoms)}: F is ${holds}, the automaton of ~F ${acc ? 'accepts' : 'rejects'} (${b.states.length} states)`);
        if (accepts(unreduced, w, value) !== acc) expect.fail(`seed ${seed}, formula #${k} ${show(f)} on ${showLasso(w, atoms)}: the unreduced automaton disagrees`);
        if (acc) accepted++; else rejected++;
      }
    }
    // Both outcomes occur often, so neither side of the iff is vacuous.
    expect(accepted).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(2000);
  });
});

describe('the automaton of an NNF formula with U and R', () => {
  it('accepts a random lasso iff the formula is true on it (600 formulas up to depth 4, 40 lassos each)', () => {
    const seed = 7;
    const rand = rng(seed);
    let accepted = 0, rejected = 0;
    for (let k = 0; k < 600; k++) {
      const atoms = 2 + Math.floor(rand() * 3);
      const f = randomNnf(rand, 1 + Math.floor(rand() * 4), atoms);
      const b = buchi(f);
      const unreduced = buchi(f, { reduce: false });
      for (let j = 0; j < 40; j++) {
        const w = randomLasso(rand, atoms);
        const holds = evalNnf(f, w, value)[0];
        const acc = accepts(b, w, value);
        if (acc !== holds) expect.fail(`seed ${seed}, formula #${k} ${show(f)} on ${showLasso(w, atoms)}: it is ${holds}, the automaton ${acc ? 'accepts' : 'rejects'}`);
        if (accepts(unreduced, w, value) !== acc) expect.fail(`seed ${seed}, formula #${k} ${show(f)} on ${showLasso(w, atoms)}: the unreduced automaton disagrees`);
        if (acc) accepted++; else rejected++;
      }
    }
    expect(accepted).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(2000);
  });
});

describe('buchi', () => {
  const p = leaves[0], send = leaves[1];

  it('builds the automaton of ~[]<>p that accepts exactly the lassos whose loop avoids p', () => {
    const b = negationAutomaton(always(eventually(p)));
    expect(accepts(b, { prefix: [1, 1], loop: [0] }, value)).toBe(true);
    expect(accepts(b, { prefix: [0], loop: [0, 1] }, value)).toBe(false);
    // One eventuality (<>[]~p = TRUE U (FALSE R ~p)) gives one acceptance set.
    expect(b.acceptance).toHaveLength(1);
    expect(b.atoms).toEqual([leafAtoms[0]]);
  });

  it('labels states with literals over action atoms, read on the step from the position', () => {
    // ~[]<><<Send>>_vars: from some point on, no step is a Send that changes the state.
    const b = negationAutomaton(always(eventually(and(send, not(unchanged())))));
    const un = b.atoms.findIndex((a) => a.kind === 'unchanged');
    const sendIdx = b.atoms.findIndex((a) => a.kind === 'action');
    expect(un).toBeGreaterThanOrEqual(0);
    expect(sendIdx).toBeGreaterThanOrEqual(0);
    // A state whose label holds when Send is false is on every accepting run's loop.
    const quiet = (atom: number) => atom === un;
    expect(b.states.some((s) => labelHolds(s.label, quiet))).toBe(true);
  });

  it('has no initial state for FALSE and accepts every word for TRUE', () => {
    const none = buchi(toNnf(FALSE));
    expect(none.initial).toHaveLength(0);
    const all = buchi(toNnf(TRUE));
    expect(all.initial.length).toBeGreaterThan(0);
    expect(accepts(all, { prefix: [], loop: [0] }, value)).toBe(true);
    // A contradiction has no state with an accepting run: nothing is left after reduction.
    expect(buchi(toNnf(and(p, not(p)))).states).toHaveLength(0);
    expect(negationAutomaton(or(always(eventually(p)), eventually(always(not(p))))).states).toHaveLength(0);
  });

  it('reduces without losing runs: never more states than the tableau, and fewer on ~[]<><<Send>>_vars', () => {
    const rand = rng(3);
    for (let k = 0; k < 200; k++) {
      const f = randomFormula(rand, 4, 4);
      expect(negationAutomaton(f).states.length).toBeLessThanOrEqual(negationAutomaton(f, { reduce: false }).states.length);
    }
    const g = always(eventually(and(send, not(unchanged()))));
    expect(negationAutomaton(g).states.length).toBeLessThan(negationAutomaton(g, { reduce: false }).states.length);
  });

  it('stops with a SpecError naming the formula past the state limit', () => {
    const f = and(always(eventually(p)), always(eventually(send)), leadsTo(p, send));
    expect(() => negationAutomaton(f, { maxStates: 2 })).toThrow(SpecError);
    expect(() => negationAutomaton(f, { maxStates: 2 })).toThrow(/more than 2 states/);
  });
});
