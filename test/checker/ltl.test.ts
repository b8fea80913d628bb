// The LTL language of checker/ltl.ts: builders that read like TLA+, the negation normal form
// (checked against the brute-force lasso semantics of ltl-lasso.ts, so the rewrite rules are
// not trusted), the three legacy forms and the fairness conditions as formulas.

import { describe, it, expect, expectTypeOf } from 'vitest';
import {
  FALSE, TRUE, action, actionAtomHolds, actionFormulaHolds, always, and, angle, atomLevel, atomsOf, each, enabled, eventually, fairnessFormula, fromFairness, fromTemporal,
  fairConditions, holdsOnLasso, implies, isStutterInvariant, propertyFormula, leadsTo, not, or, pred, sameAtom, sf, show, square, step, toNnf, unchanged, wf,
  type Atom, type FairnessSpec, type Formula, type Nnf, type Property,
} from '../../checker/ltl.js';
import { SpecError } from '../../checker/errors.js';
import { evalFormula, evalNnf, randomLasso, rng, showLasso, type AtomValue } from './ltl-lasso.js';

interface S { readonly x: number; readonly pc: 'a' | 'b' }
const p = pred('p', (s: S) => s.x > 0);
const q = pred('q', (s: S) => s.pc === 'b');
const r = enabled<S>('Recv');
const leaves = [p, q, r, action('Send')] as Formula<S>[];
const atomOf = (f: Formula<S>) => (f as Extract<Formula<S>, { op: 'atom' }>).atom;
const value = (list: readonly Atom<S>[]): AtomValue => (a, letter) => {
  const k = list.findIndex((b) => sameAtom(a as Atom<S>, b));
  if (k < 0) throw new Error(`unknown atom ${a.name}`);
  return ((letter >> k) & 1) === 1;
};
const leafValue = value(leaves.map(atomOf));

function randomFormula(rand: () => number, depth: number): Formula<S> {
  if (depth === 0 || rand() < 0.2) return rand() < 0.05 ? (rand() < 0.5 ? TRUE : FALSE) : leaves[Math.floor(rand() * leaves.length)];
  const sub = () => randomFormula(rand, depth - 1);
  const ops = [not, (a: Formula<S>) => and(a, sub()), (a: Formula<S>) => or(a, sub()), (a: Formula<S>) => implies(a, sub()), always, eventually, (a: Formula<S>) => leadsTo(a, sub())];
  return ops[Math.floor(rand() * ops.length)](sub()) as Formula<S>;
}

describe('the builders', () => {
  it('print as TLA+', () => {
    const pc = (s: S) => s.pc;
    expect(show(always(eventually(angle('Next'))))).toBe('[]<><<Next>>_vars');
    expect(show(eventually(always(square(action('Next'), pc))))).toBe('<>[][Next]_pc');
    expect(show(always(implies(p, eventually(always(q)))))).toBe('[](p => <>[]q)');
    expect(show(leadsTo(p, or(q, not(p))))).toBe('p ~> (q \\/ ~p)');
    expect(show(enabled(action('Send', (m: { to: string }) => m.to === 'b')))).toBe('ENABLED Send(…)');
    expect(show(not(unchanged()))).toBe('~UNCHANGED vars');
    expect(show(action('Send', ['m1', 'm2']))).toBe('Send(p \\in {"m1", "m2"})');
    expect(show(action('Send', (m: { to: string }) => m.to === 'b', 'Send(_, b)'))).toBe('Send(_, b)');
  });

  it('infer the state type from the predicates', () => {
    expectTypeOf(always((s: S) => s.x > 0)).toEqualTypeOf<Formula<S>>();
    expectTypeOf(leadsTo(p, q)).toEqualTypeOf<Formula<S>>();
    // Atoms that do not look at the state fit any formula.
    expectTypeOf(and(p, action('Send'))).toEqualTypeOf<Formula<S>>();
    // Every spelling of a property and of fairness fits the spec-facing types.
    expectTypeOf({ leadsTo: [(s: S) => s.x > 0, (s: S) => s.x === 0] as const }).toMatchTypeOf<Property<S>>();
    expectTypeOf(always(p)).toMatchTypeOf<Property<S>>();
    expectTypeOf({ formula: always(p), clause: 'FSM-3' }).toMatchTypeOf<Property<S>>();
    expectTypeOf([wf('A'), ...each(['c1'], (c) => sf(action('Send', (m: { c: string }) => m.c === c), { vars: (s: S) => s.pc }))]).toMatchTypeOf<FairnessSpec<S>>();
    expectTypeOf({ weak: ['A'], strong: ['B(*)'] }).toMatchTypeOf<FairnessSpec<S>>();
  });

  it('turn a plain function into a state predicate', () => {
    const f = always((s: S) => s.x === 1);
    expect(f.op === 'always' && f.arg.op === 'atom' && f.arg.atom.kind).toBe('state');
    expect(atomLevel(atomOf(p))).toBe('state');
    expect(atomLevel(atomOf(r))).toBe('state');
    expect(atomLevel(atomOf(action('Send') as Formula<S>))).toBe('action');
    expect(atomLevel(atomOf(unchanged() as Formula<S>))).toBe('action');
    expect(atomLevel(atomOf(step('Grows', (a: S, b: S) => b.x > a.x)))).toBe('action');
  });

  it('reject ENABLED and fairness of a temporal formula, and nested ENABLED', () => {
    expect(() => enabled(always(p))).toThrow(SpecError);
    expect(() => enabled(always(p))).toThrow(/ENABLED takes an action formula, but its argument contains \[\]/);
    expect(() => enabled(and(action('A'), eventually(q)))).toThrow(/contains <>/);
    expect(() => enabled(not(enabled('A')))).toThrow(/ENABLED inside ENABLED/);
    expect(() => wf(leadsTo(p, q))).toThrow(/WF takes an action formula, but its argument contains ~>/);
    expect(() => sf(or(action('A'), action('B')), { perValue: true })).toThrow(/perValue needs a named action/);
    expect(() => action('A', 3 as never)).toThrow(/parameter filter must be a list of values, a predicate or \{ label \}/);
    expect(() => always(42 as never)).toThrow(/expected a temporal formula or a state predicate, got 42/);
    expect(() => not({ op: 'next', arg: TRUE } as never)).toThrow(/got \{"op":"next"/);
  });

  it('collect each atom once', () => {
    const fn = (s: S) => s.x > 0;
    const f = and(action('A'), action('A'), always(fn), eventually(fn), action('B', { label: 'B(1, 2)' }), action('B', { label: 'B(1,2)' }), action('B'), enabled(angle('A')), enabled(angle('A')), enabled('A'));
    expect(atomsOf(f).map((a) => a.name)).toEqual(['A', 'fn', 'B(1, 2)', 'B', 'ENABLED <<A>>_vars', 'ENABLED A']);
  });
});

describe('the negation normal form', () => {
  it('has the value of the formula, and of its negation, at every position of random lassos (and holdsOnLasso agrees)', () => {
    const seed = 1312;
    const rand = rng(seed);
    let trueCount = 0;
    for (let k = 0; k < 1500; k++) {
      const f = randomFormula(rand, 1 + Math.floor(rand() * 4));
      const pos = toNnf(f), neg = toNnf(f, true);
      for (let j = 0; j < 20; j++) {
        const w = randomLasso(rand, leaves.length);
        const want = evalFormula(f as Formula<unknown>, w, leafValue);
        const got = evalNnf(pos as Nnf<unknown>, w, leafValue);
        const gotNeg = evalNnf(neg as Nnf<unknown>, w, leafValue);
        if (want.some((x, i) => x !== got[i] || x === gotNeg[i]))
          expect.fail(`seed ${seed}: ${show(f)} on ${showLasso(w, leaves.length)}: [${want}] but NNF ${show(pos)} gives [${got}], its negation ${show(neg)} [${gotNeg}]`);
        const letters = [...w.prefix, ...w.loop];
        const engine = holdsOnLasso(f, { length: letters.length, loop: w.prefix.length }, (a, i) => leafValue(a as Atom<unknown>, letters[i]));
        if (engine !== want[0]) expect.fail(`seed ${seed}: ${show(f)} on ${showLasso(w, leaves.length)}: ${want[0]}, but holdsOnLasso says ${engine}`);
        if (want[0]) trueCount++;
      }
    }
    expect(trueCount).toBeGreaterThan(5000);
    expect(trueCount).toBeLessThan(25000);
  });

  it('rejects a lasso shape that is not one', () => {
    expect(() => holdsOnLasso(p, { length: 2, loop: 2 }, () => true)).toThrow(RangeError);
  });

  it('folds constants and writes [] and <> as R and U', () => {
    expect(toNnf(always(p))).toEqual({ op: 'release', left: { op: 'false' }, right: { op: 'lit', atom: atomOf(p), positive: true } });
    expect(toNnf(not(eventually(p)))).toEqual({ op: 'release', left: { op: 'false' }, right: { op: 'lit', atom: atomOf(p), positive: false } });
    expect(toNnf(and(p, FALSE))).toEqual({ op: 'false' });
    expect(toNnf(always(or(TRUE, q)))).toEqual({ op: 'true' });
  });
});

const bit = (letter: number, k: number) => ((letter >> k) & 1) === 1;

describe('the three forms of Temporal', () => {
  const list = [atomOf(p), atomOf(q)];
  const v = value(list);
  it('mean on random lassos what docs/decisions/liveness.md says', () => {
    const rand = rng(99);
    for (let k = 0; k < 3000; k++) {
      const w = randomLasso(rand, 2, 4, 5);
      const all = [...w.prefix, ...w.loop];
      const at = (i: number) => (i < all.length ? all[i] : w.loop[(i - w.prefix.length) % w.loop.length]);
      // p ~> q: every position with p has q then or at some later position (checking past
      // one full turn of the loop is enough).
      const horizon = all.length + w.loop.length;
      let leads = true;
      for (let i = 0; i < all.length; i++) {
        if (!bit(at(i), 0)) continue;
        let ok = false;
        for (let j = i; j <= i + horizon && !ok; j++) ok = bit(at(j), 1);
        if (!ok) leads = false;
      }
      const infOften = w.loop.some((x) => bit(x, 0));
      const eventuallyForEver = w.loop.every((x) => bit(x, 0));
      const at0 = (t: Parameters<typeof fromTemporal<S>>[0]) => evalFormula(fromTemporal(t) as Formula<unknown>, w, v)[0];
      // The same functions as p and q, so that the atoms are the test's.
      const pf = atomOf(p) as Extract<Atom<S>, { kind: 'state' }>, qf = atomOf(q) as Extract<Atom<S>, { kind: 'state' }>;
      expect(at0({ leadsTo: [pf.fn, qf.fn] }), showLasso(w, 2)).toBe(leads);
      expect(at0({ alwaysEventually: pf.fn }), showLasso(w, 2)).toBe(infOften);
      expect(at0({ eventuallyAlways: pf.fn }), showLasso(w, 2)).toBe(eventuallyForEver);
    }
  });
});

describe('isStutterInvariant', () => {
  // Atoms: p (bit 0), ENABLED Recv (1), A (2), B (3), C (4), UNCHANGED vars (5). A stuttering
  // step keeps the state atoms, makes every action atom false and UNCHANGED true.
  const A = action('A') as Formula<S>, B = action('B') as Formula<S>, C = action('C') as Formula<S>, U = unchanged() as Formula<S>;
  const list = [p, r, A, B, C, U].map(atomOf);
  const v = value(list);
  const pieces = [p, r, angle(A), square(B), C, angle(or(A, C)), eventually(angle(A)), always(square(or(B, C))), always(not(angle(C)))];
  const stutterLetter = (l: number) => (l & 0b11) | (1 << 5);
  function gen(rand: () => number, depth: number): Formula<S> {
    if (depth === 0 || rand() < 0.25) return pieces[Math.floor(rand() * pieces.length)];
    const sub = () => gen(rand, depth - 1);
    const ops = [not, (a: Formula<S>) => and(a, sub()), (a: Formula<S>) => or(a, sub()), (a: Formula<S>) => implies(a, sub()), always, eventually, (a: Formula<S>) => leadsTo(a, sub())];
    return ops[Math.floor(rand() * ops.length)](sub()) as Formula<S>;
  }

  it('is true only of formulas whose value survives an inserted stuttering step (random formulas and lassos)', () => {
    const rand = rng(2718);
    let invariant = 0, sensitiveSeen = 0;
    for (let k = 0; k < 1500; k++) {
      const f = gen(rand, 1 + Math.floor(rand() * 4));
      const inv = isStutterInvariant(f);
      if (inv) invariant++;
      for (let j = 0; j < 15; j++) {
        const w = randomLasso(rand, 6, 3, 4);
        const letters = [...w.prefix, ...w.loop];
        const at = Math.floor(rand() * letters.length);
        const stuttered = [...letters.slice(0, at), stutterLetter(letters[at]), ...letters.slice(at)];
        const loop = at < w.prefix.length ? w.prefix.length + 1 : w.prefix.length;
        const w2 = { prefix: stuttered.slice(0, loop), loop: stuttered.slice(loop) };
        const before = evalFormula(f as Formula<unknown>, w, v)[0], after = evalFormula(f as Formula<unknown>, w2, v)[0];
        if (inv && before !== after) expect.fail(`${show(f)} is called stuttering-invariant, but ${showLasso(w, 6)} gives ${before} and ${showLasso(w2, 6)} gives ${after}`);
        if (!inv && before !== after) sensitiveSeen++;
      }
    }
    expect(invariant).toBeGreaterThan(200);
    // The formulas it refuses do include ones that stuttering changes (so the test has teeth).
    expect(sensitiveSeen).toBeGreaterThan(100);
    expect(isStutterInvariant(always(eventually(angle('Next'))))).toBe(true);
    expect(isStutterInvariant(eventually(always(square('Next'))))).toBe(true);
    expect(isStutterInvariant(leadsTo(p, angle('Next')))).toBe(true);
    expect(isStutterInvariant(always(action('Next')))).toBe(false);
    expect(isStutterInvariant(always(angle('Next')))).toBe(false);
  });
});

describe('atoms on a step', () => {
  const s0: S = { x: 0, pc: 'a' }, s1: S = { x: 1, pc: 'a' };
  const send = (param: unknown, label: string) => ({ before: s0, after: s1, step: { action: 'Send', param }, label, stutter: false });
  const stutter = { before: s0, after: s0, step: { action: 'Send', param: 1 }, label: 'Send(1)', stutter: true };
  const atom = (f: Formula<unknown>) => atomOf(f as Formula<S>);

  it('match named actions by list, predicate and label, never on a stuttering step', () => {
    expect(actionAtomHolds(atom(action('Send')), send(1, 'Send(1)'))).toBe(true);
    expect(actionAtomHolds(atom(action('Recv')), send(1, 'Send(1)'))).toBe(false);
    expect(actionAtomHolds(atom(action('Send', [{ to: 'b' }])), send({ to: 'b' }, 'Send(to=b)'))).toBe(true);
    expect(actionAtomHolds(atom(action('Send', [{ to: 'b' }])), send({ to: 'c' }, 'Send(to=c)'))).toBe(false);
    expect(actionAtomHolds(atom(action('Send', (n: number) => n > 1)), send(2, 'Send(2)'))).toBe(true);
    expect(actionAtomHolds(atom(action('Send', { label: 'Send(c1, m2)' })), send(['c1', 'm2'], 'Send(c1,m2)'))).toBe(true);
    expect(actionAtomHolds(atom(action('Send')), stutter)).toBe(false);
  });

  it('judge UNCHANGED and action predicates on the states around the step', () => {
    expect(actionAtomHolds(atomOf(unchanged<S>()), send(1, 'Send(1)'))).toBe(false);
    expect(actionAtomHolds(atomOf(unchanged<S>()), stutter)).toBe(true);
    expect(actionAtomHolds(atomOf(unchanged((s: S) => s.pc)), send(1, 'Send(1)'))).toBe(true);
    const grows = step('Grows', (a: S, b: S, st) => b.x > a.x && st.action !== '');
    expect(actionAtomHolds(atomOf(grows), send(1, 'Send(1)'))).toBe(true);
    expect(actionAtomHolds(atomOf(grows), stutter)).toBe(false);
    expect(() => actionAtomHolds(atomOf(p), stutter)).toThrow(/judged on a state/);
  });

  it('give ENABLED [A]_v and ENABLED <<A>>_v their TLA+ meaning through the stuttering step', () => {
    // From s0 the only step is stuttering: [Send]_vars holds on it, <<Send>>_vars does not.
    expect(actionFormulaHolds(square('Send') as Formula<S>, stutter)).toBe(true);
    expect(actionFormulaHolds(angle('Send') as Formula<S>, stutter)).toBe(false);
    expect(actionFormulaHolds(and(p, angle('Send')) as Formula<S>, send(1, 'Send(1)'))).toBe(false); // p is judged before: x = 0
    expect(actionFormulaHolds(implies(not(p), angle('Send')) as Formula<S>, send(1, 'Send(1)'))).toBe(true);
    expect(actionFormulaHolds(r, stutter, () => true)).toBe(true);
    expect(() => actionFormulaHolds(r, stutter)).toThrow(/needs the engine/);
    expect(() => actionFormulaHolds(eventually(p), stutter)).toThrow(/is temporal/);
  });
});

describe('propertyFormula', () => {
  it('reads a formula, a formula with metadata, and the three forms', () => {
    const f = always(eventually(p));
    expect(propertyFormula('spec X: temporal Live', f).formula).toBe(f);
    const m = propertyFormula('spec X: temporal Live', { formula: f, clause: 'FSM-3', level: 'MUST' });
    expect([m.formula, m.clause, m.level]).toEqual([f, 'FSM-3', 'MUST']);
    expect(show(propertyFormula('w', { leadsTo: [atomOf(p).kind === 'state' ? (atomOf(p) as { fn: (s: S) => boolean }).fn : () => true, (s: S) => s.x === 0], doc: 'd' }).formula)).toMatch(/~>/);
    expect(() => propertyFormula('spec X: temporal Live', { alwaysEventualy: () => true } as never)).toThrow(/^spec X: temporal Live: unknown key 'alwaysEventualy'; allowed: .*; did you mean 'alwaysEventually'\?$/);
    expect(() => propertyFormula('w', { leadsTo: [() => true, () => true], alwaysEventually: () => true } as never)).toThrow(/expected a formula, \{ formula \}/);
  });
});

describe('fairness', () => {
  it('maps the legacy entries to conditions, weak ones first, in the order written', () => {
    const fs = fromFairness({ strong: ['C(*)'], weak: ['A', 'B(1, x)'] });
    expect(fs.map((f) => [f.kind, f.name, f.perValue ?? false])).toEqual([
      ['weak', 'A', false], ['weak', 'B(1, x)', false], ['strong', 'C(*)', true],
    ]);
    const b = atomOf(fs[1].action as Formula<S>);
    expect(b.kind === 'action' && b.action === 'B' && b.params).toEqual({ label: 'B(1, x)' });
    expect(() => fromFairness({ weak: ['('] })).toThrow(SpecError);
  });

  it('refuses unknown keys and entries that are not names', () => {
    expect(() => fromFairness({ wek: ['A'] } as never)).toThrow(/unknown key 'wek'; expected weak and strong; did you mean 'weak'\?/);
    expect(() => fromFairness({ weak: 'A' } as never)).toThrow(/fairness.weak must be a list/);
    expect(() => fromFairness({ strong: [3] } as never)).toThrow(/fairness.strong lists 3, not an action name/);
  });

  it('takes either spelling through fairConditions', () => {
    expect(fairConditions({ weak: ['A'] }).map((f) => f.name)).toEqual(['A']);
    expect(fairConditions([wf('A'), sf('B')]).map((f) => f.name)).toEqual(['WF_vars(A)', 'SF_vars(B)']);
    expect(() => fairConditions([{ kind: 'fair' }] as never)).toThrow(/fairness\[0\] is not a condition built with wf/);
  });

  it('gives one condition per value with each()', () => {
    const clients = ['c1', 'c2'];
    const fs = each(clients, (c) => wf(action('Send', (m: { client: string }) => m.client === c), { name: `WF(Send(${c}, _))` }));
    expect(fs.map((f) => f.name)).toEqual(['WF(Send(c1, _))', 'WF(Send(c2, _))']);
    expect(wf('Tick').name).toBe('WF_vars(Tick)');
    expect(sf(or(action('A'), action('B')), { vars: (s: S) => s.pc }).name).toBe('SF_v(A \\/ B)');
  });

  it('means, as a formula, what WF and SF mean on random lassos', () => {
    // Atoms: ENABLED <<A>>_vars (bit 0), A (bit 1), UNCHANGED vars (bit 2).
    const A = action('A') as Formula<S>;
    const weak = fairnessFormula(wf(A)), strong = fairnessFormula(sf(A));
    const en = atomsOf(weak).find((a) => a.kind === 'enabled')!;
    expect(show(weak)).toBe('<>[]ENABLED <<A>>_vars => []<><<A>>_vars');
    const list = [en, atomOf(A), atomOf(unchanged() as Formula<S>)];
    const v = value(list as Atom<S>[]);
    const rand = rng(5);
    for (let k = 0; k < 3000; k++) {
      const w = randomLasso(rand, 3, 3, 5);
      const taken = w.loop.some((x) => bit(x, 1) && !bit(x, 2));
      const wfHolds = taken || w.loop.some((x) => !bit(x, 0));
      const sfHolds = taken || w.loop.every((x) => !bit(x, 0));
      expect(evalFormula(weak as Formula<unknown>, w, v)[0], showLasso(w, 3)).toBe(wfHolds);
      expect(evalFormula(strong as Formula<unknown>, w, v)[0], showLasso(w, 3)).toBe(sfHolds);
    }
    expect(() => fairnessFormula(wf('A', { perValue: true }))).toThrow(/expand it first/);
  });
});
