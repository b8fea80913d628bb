// Three spec-language features of the engine (issue 13, items 2-4):
//  - parameters drawn from a state-dependent set (`params: { type, from }`), the same graph
//    as a fixed list plus a membership guard, in a fixed order, under both engines and workers;
//  - initial states as a predicate (`init: { where, over, limit }`), checked on an
//    inductive invariant (ISpec: Init == TypeOK /\ Inv) against a brute-force count;
//  - symmetry (`symmetry: [Type]`): one fingerprint per orbit (brute-force orbit counts),
//    TLC's counts on MCVoting, and counterexamples that replay on the unreduced spec.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  check, codec, defineSpec, equal, instantiate, model, SpecError, Successors, t, type CheckResult, type Instance, type Schema,
} from '../../checker/index.js';
import { mismatches, runExpectation } from '../specs/discover.js';
import paramsFrom from './fixtures/params-from.spec.js';
import voting from '../../specs/tlaplus-examples/voting.spec.js';

const modules = {
  paramsFrom: fileURLToPath(new URL('./fixtures/params-from.spec.ts', import.meta.url)),
  voting: fileURLToPath(new URL('../../specs/tlaplus-examples/voting.spec.ts', import.meta.url)),
};

/** Everything but timings, memory and the engine's own frames in an error's stack. */
function observable(r: CheckResult) {
  const out = { ...r, stats: { ...r.stats, seconds: 0, storeBytes: 0 } };
  if (out.status === 'error') out.error = { ...out.error, stack: out.error.stack?.split('\n')[0] };
  return out;
}

function specError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
}

// Every level goes through the workers, in small chunks.
const parallel = { minLevel: 1, chunk: 37, waitForWorkers: true };

describe('params: { type, from }', () => {
  it('meets the fixture expect block (same counts as a fixed list plus a guard, any member order, an outside member is an error)', () => {
    for (const e of paramsFrom.expect ?? []) expect(mismatches(e, runExpectation(paramsFrom, e))).toEqual([]);
  });

  it('explores the same graph as the fixed-list encoding, step by step, under both engines', () => {
    for (const BUG of [0, 1])
      for (const engine of ['fast', 'immer'] as const) {
        const a = check(instantiate(paramsFrom, { FROM: 1, BUG }), { engine });
        const b = check(instantiate(paramsFrom, { FROM: 0, BUG }), { engine });
        const r = check(instantiate(paramsFrom, { FROM: 1, BUG, REVERSE: 1 }), { engine });
        expect(observable(a)).toEqual(observable(b));
        expect(observable(r)).toEqual(observable(a));
      }
  });

  it('gives the choice index of a parameter as its code in the type, and its value, in events', () => {
    const inst = instantiate(paramsFrom, {});
    const succ = new Successors(inst);
    const s0 = inst.init[0];
    const afterSends = succ.step(succ.step(s0, 1)!, 0)!; // Send(p2), Send(p1)
    const recv = [...succ.successors(afterSends)].filter((e) => e.action === 'Receive');
    const Msg = inst.actions[1].from!.type;
    expect(recv.map((e) => e.param)).toEqual([{ src: 'p1', n: 0 }, { src: 'p2', n: 0 }]);
    for (const e of recv) expect(e.paramIndex).toBe(codec(Msg).index(e.param));
    expect(succ.enabledActions(s0)).toEqual(['Send']);
  });

  it('gives the same result with two workers', () => {
    for (const c of [{}, { BUG: 1 }, { OUTSIDE: 1 }] as Record<string, number>[]) {
      const one = check(instantiate(paramsFrom, c), {});
      const two = check(instantiate(paramsFrom, c), { workers: 2, parallel, module: modules.paramsFrom });
      expect(observable(two)).toEqual(observable(one));
    }
  });

  it('infers the parameter type from params.type and the state type in from, init.where and init.over', () => {
    const Msg = t.record({ src: t.enum('a', 'b'), n: t.int(0, 2) });
    const spec = defineSpec({
      name: 'Typed',
      setup: () => model({
        state: t.record({ msgs: t.set(Msg), k: t.int(0, 3) }),
        init: { where: (s) => s.k === 0 && s.msgs.length < 2, over: { k: [0, 1] } },
        actions: {
          Recv: {
            params: { type: Msg, from: (s) => s.msgs },
            enabled: (s, m) => {
              expectTypeOf(m).toEqualTypeOf<{ src: 'a' | 'b'; n: number }>();
              return m.n < 2 && s.k < 3;
            },
            next: (s, m) => { s.k += m.n; },
          },
        },
      }),
    });
    // The empty set and the 6 one-message sets, with k = 0.
    expect(instantiate(spec).init.length).toBe(7);
  });

  it('works with temporal properties and fairness on the action or one of its values', () => {
    const mk = (weak: string[]) => defineSpec({
      name: 'FromFair',
      check: { deadlock: false },
      setup: () => model({
        state: t.record({ msgs: t.set(t.int(0, 2)), sent: t.int(0, 3) }),
        init: { msgs: [], sent: 0 },
        actions: {
          Send: { enabled: (s) => s.sent < 3, next: (s) => { s.msgs.push(s.sent); s.sent++; } },
          Recv: { params: { type: t.int(0, 2), from: (s) => s.msgs }, next: (s, m) => { s.msgs = s.msgs.filter((x) => x !== m); } },
        },
        temporal: { Drained: { leadsTo: [(s) => s.msgs.includes(1), (s) => !s.msgs.includes(1)] } },
        fairness: { weak },
      }),
    });
    expect(check(instantiate(mk([])), {}).status).toBe('violation');
    expect(check(instantiate(mk(['Recv'])), {}).status).toBe('ok');
    expect(check(instantiate(mk(['Recv(1)'])), {}).status).toBe('ok');
    expect(check(instantiate(mk(['Recv(2)'])), {}).status).toBe('violation');
  });

  it('rejects a malformed params object, naming the action, with a did-you-mean', () => {
    const mk = (params: unknown) => defineSpec({
      name: 'Bad',
      setup: () => model({ state: t.record({ x: t.int(0, 1) }), init: { x: 0 }, actions: { A: { params: params as never, next: () => {} } } }),
    });
    expect(specError(() => instantiate(mk({ type: t.int(0, 3), form: () => [] })))).toMatch(/action 'A': params.*'form'.*from/);
    expect(specError(() => instantiate(mk({ type: 3, from: () => [] })))).toMatch(/action 'A': 'params' must be an array or \{ type: schema, from/);
    expect(specError(() => instantiate(mk({ type: t.set(t.int(0, 20)), from: () => [] })))).toMatch(/params.type has 2097152 values/);
  });
});

// Peterson's algorithm for two processes and an inductive invariant of it.
const P = ['p0', 'p1'] as const;
const Proc = t.enum(P);
const petersonState = t.record({ pc: t.fn(Proc, t.enum('ncs', 'try', 'wait', 'cs')), flag: t.fn(Proc, t.bool()), turn: Proc });
type PS = typeof petersonState.__type & {};
const other = (p: (typeof P)[number]) => (p === 'p0' ? 'p1' : 'p0');
const mutex = (s: PS) => !(s.pc.p0 === 'cs' && s.pc.p1 === 'cs');
const inductive = (s: PS) =>
  P.every((p) => s.flag[p] === (s.pc[p] !== 'ncs')) &&
  P.every((p) => !(s.pc[p] === 'cs' && (s.pc[other(p)] === 'wait' || s.pc[other(p)] === 'cs')) || s.turn === p);
function peterson(init: unknown, inv: (s: PS) => boolean) {
  return defineSpec({
    name: 'PetersonISpec',
    check: { deadlock: false },
    setup: () => model({
      state: petersonState,
      init: init as never,
      actions: {
        Try: { params: P, enabled: (s, p) => s.pc[p] === 'ncs', next: (s, p) => { s.flag[p] = true; s.pc[p] = 'try'; } },
        SetTurn: { params: P, enabled: (s, p) => s.pc[p] === 'try', next: (s, p) => { s.turn = other(p); s.pc[p] = 'wait'; } },
        Enter: { params: P, enabled: (s, p) => s.pc[p] === 'wait' && (!s.flag[other(p)] || s.turn === p), next: (s, p) => { s.pc[p] = 'cs'; } },
        Exit: { params: P, enabled: (s, p) => s.pc[p] === 'cs', next: (s, p) => { s.flag[p] = false; s.pc[p] = 'ncs'; } },
      },
      invariants: { Inv: inv },
    }),
  });
}

/** The states of the Peterson schema satisfying f, counted by nested loops (not the engine's enumeration). */
function bruteCount(f: (s: PS) => boolean): number {
  const pcs = ['ncs', 'try', 'wait', 'cs'] as const;
  let n = 0;
  for (const a of pcs) for (const b of pcs) for (const fa of [false, true]) for (const fb of [false, true]) for (const turn of P)
    if (f({ pc: { p0: a, p1: b }, flag: { p0: fa, p1: fb }, turn })) n++;
  return n;
}

describe('init: { where }', () => {
  it('ISpec: an inductive invariant holds from every state satisfying it (Init == TypeOK /\\ Inv)', () => {
    const inst = instantiate(peterson({ where: inductive }, inductive));
    const want = bruteCount(inductive);
    expect(want).toBeGreaterThan(5);
    expect(inst.init.length).toBe(want);
    for (const s of inst.init) expect(inductive(s)).toBe(true);
    const r = check(inst, {});
    expect(r.status).toBe('ok');
    // Every successor of an Inv state satisfies Inv and is itself an initial state.
    expect(r.stats.distinct).toBe(want);
    expect(r.stats.generated - r.stats.transitions).toBe(want);
  });

  it('ISpec finds that Mutex alone is not inductive (though it is an invariant of Spec)', () => {
    const init = { pc: { p0: 'ncs', p1: 'ncs' }, flag: { p0: false, p1: false }, turn: 'p0' };
    expect(check(instantiate(peterson(init, mutex)), {}).status).toBe('ok');
    const r = check(instantiate(peterson({ where: mutex }, mutex)), {});
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.name).toBe('Inv');
    expect(r.violation.trace.length).toBe(2);
    expect(mutex(r.violation.trace[0].state as PS)).toBe(true);
    expect(mutex(r.violation.trace[1].state as PS)).toBe(false);
  });

  it('enumerates in the schema value order, narrowed by over (values or a schema)', () => {
    const where = (s: PS) => s.pc.p0 !== 'cs';
    const inst = instantiate(peterson({ where, over: { turn: ['p1'], flag: t.fn(Proc, t.bool()) } }, () => true));
    expect(inst.init.length).toBe(bruteCount((s) => where(s) && s.turn === 'p1'));
    // pc most significant (declaration order), the last field fastest.
    const pcCodec = codec(petersonState.fields.pc);
    const keys = inst.init.map((s) => pcCodec.index(s.pc) * 8 + codec(petersonState.fields.flag).index(s.flag) * 2 + P.indexOf(s.turn));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('refuses a domain beyond the limit, naming the spec and the domain size', () => {
    expect(specError(() => instantiate(peterson({ where: () => true, limit: 100 }, () => true)))).toBe(
      "spec PetersonISpec: init.where would try 128 candidate states (pc 16 × flag 4 × turn 2), more than init.limit 100; narrow the fields with init.over or raise init.limit",
    );
    const big = defineSpec({ name: 'Big', setup: () => model({ state: t.record({ x: t.int(0, 1e6), y: t.int(0, 1e6) }), init: { where: () => true }, actions: { A: { next: () => {} } } }) });
    expect(specError(() => instantiate(big))).toMatch(/^spec Big: init.where would try 1000002000001 candidate states \(x 1000001 × y 1000001\), more than init.limit 2000000/);
  });

  it('rejects bad keys, fields and results with a clear message', () => {
    expect(specError(() => instantiate(peterson({ where: () => true, ovr: {} }, () => true)))).toMatch(/init.*'ovr'.*over/);
    expect(specError(() => instantiate(peterson({ where: () => true, over: { trun: ['p0'] } }, () => true)))).toMatch(/init.over.*'trun'.*turn/);
    expect(specError(() => instantiate(peterson({ where: () => true, over: { turn: ['p7'] } }, () => true)))).toMatch(/init.over gives a state outside its type: turn: "p7"/);
    expect(specError(() => instantiate(peterson({ where: () => 1 }, () => true)))).toMatch(/init.where returned 1, not a boolean/);
    expect(specError(() => instantiate(peterson({ where: () => false }, () => true)))).toMatch(/'init.where' holds for no candidate state/);
    expect(specError(() => instantiate(peterson({ where: () => { throw new Error('boom'); } }, () => true)))).toMatch(/init.where threw on .*: boom/);
  });
});

// ---------------------------------------------------------------------------------------
// Symmetry.

/** A spec over schema `state` with every value initial and no step: to count orbits. */
function allStates(state: Schema, symmetry: readonly Schema[]): Instance {
  return instantiate(defineSpec({
    name: 'Orbits',
    setup: () => model({ state, init: { where: () => true }, symmetry: symmetry as never, actions: { Stay: { next: () => {} } } }),
  })) as Instance;
}

/** Orbits of the values of `state` under the permutations, by brute force: canonical = smallest JSON over all permuted values. */
function bruteOrbits(inst: Instance): number {
  const succ = new Successors(inst);
  const sym = succ.symmetry!;
  const reps = new Set<string>();
  for (const s of inst.init) {
    const images = Array.from({ length: sym.size }, (_, p) => JSON.stringify(codec(inst.schema).index(sym.permute(s, p))));
    reps.add(images.sort()[0]);
  }
  return reps.size;
}

describe('symmetry', () => {
  const Pid = t.enum('a', 'b', 'c');
  const Ids = t.int(1, 3);
  const V = t.enum('x', 'y');
  const schemas: [string, Schema, Schema[]][] = [
    ['a function over the symmetric set', t.record({ f: t.fn(Pid, t.int(0, 2)) }), [Pid]],
    ['enum values, sets and function keys together', t.record({ owner: Pid, waiting: t.set(Pid), pc: t.fn(Pid, t.enum('idle', 'busy')) }), [Pid]],
    ['an int range as process ids, in a sequence', t.record({ q: t.seq(Ids, 2), f: t.fn(Ids, t.bool()) }), [Ids]],
    ['two symmetric sets, tuples in sets', t.record({ votes: t.fn(Pid, t.set(t.tuple(t.int(0, 0), V))) }), [Pid, V]],
    ['variants', t.record({ m: t.set(t.variant('k', { req: { from: Pid }, ack: { to: Pid, v: V } })) , x: t.bool() }), [Pid]],
  ];
  for (const [what, state, sym] of schemas) {
    it(`one fingerprint per orbit: ${what}`, () => {
      const inst = allStates(state, sym);
      const succ = new Successors(inst);
      const fps = new Set<string>();
      const w = new Uint32Array(succ.W);
      for (const s of inst.init) {
        succ.layout.encode(s, w, 0);
        succ.fingerprint(s, w, 0);
        fps.add(`${succ.fp[0]}:${succ.fp[1]}`);
        // Every permutation of s has s's fingerprint.
        const fp = `${succ.fp[0]}:${succ.fp[1]}`;
        for (let p = 0; p < succ.symmetry!.size; p += 5) {
          const q = succ.symmetry!.permute(s, p);
          succ.layout.encode(q, w, 0);
          succ.fingerprintPacked(w, 0);
          expect(`${succ.fp[0]}:${succ.fp[1]}`).toBe(fp);
        }
      }
      expect(fps.size).toBe(bruteOrbits(inst));
      expect(fps.size).toBeLessThan(inst.init.length);
      // The search counts orbits too.
      expect(check(inst, {}).stats.distinct).toBe(fps.size);
    });
  }

  it('counts a function Pid -> 0..2 as multisets: C(5, 3) = 10 orbits of 27 states', () => {
    expect(check(allStates(t.record({ f: t.fn(Pid, t.int(0, 2)) }), [Pid]), {}).stats.distinct).toBe(10);
  });

  it("gives TLC's counts on MCVoting (77 distinct, 451 generated, depth 11), and 599 states without it", () => {
    const r = check(instantiate(voting, {}), {});
    expect([r.status, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 77, 451, 11]);
    const plain = check({ ...instantiate(voting, {}), symmetry: [] } as Instance, {});
    expect([plain.status, plain.stats.distinct, plain.stats.depth]).toEqual(['ok', 599, 11]);
  });

  it('reports a shortest counterexample that is a trace of the unreduced spec (replayed and checked)', () => {
    const inst = instantiate(voting, { BUG: 1 });
    const r = check(inst, {});
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    // Shortest: the unreduced search finds a violation at the same depth.
    const plain = check({ ...inst, symmetry: [] } as Instance, {});
    expect(plain.status === 'violation' && plain.violation.trace.length).toBe(r.violation.trace.length);
    // Each state is a successor of the one before in the spec without symmetry.
    const unreduced = new Successors({ ...inst, symmetry: [] } as Instance);
    const states = r.violation.trace.map((s) => s.state);
    expect(inst.init.some((s) => equal(s, states[0]))).toBe(true);
    for (let k = 1; k < states.length; k++) {
      const next = [...unreduced.successors(states[k - 1] as never)].filter((e) => equal(unreduced.copy(e.state), unreduced.copy(states[k] as never)));
      expect(next.length, `step ${k}: ${r.violation.trace[k].label}`).toBeGreaterThan(0);
      expect(next.map((e) => e.label)).toContain(r.violation.trace[k].label);
    }
    const inv = inst.invariants.find((i) => i.name === 'OneValuePerBallot')!;
    expect(inv.check(states[states.length - 1] as never)).toBe(false);
    expect(states.slice(0, -1).every((s) => inv.check(s as never))).toBe(true);
  });

  it('gives the same results with two workers, and with the immer engine', () => {
    for (const c of [{}, { BUG: 1 }] as Record<string, number>[]) {
      const one = check(instantiate(voting, c), {});
      const two = check(instantiate(voting, c), { workers: 2, parallel, module: modules.voting });
      expect(observable(two)).toEqual(observable(one));
      expect(observable(check(instantiate(voting, c), { engine: 'immer' }))).toEqual(observable(one));
    }
  });

  it('rejects a type not in the schema, a look-alike enum (in the state or the view), too many permutations or temporal properties', () => {
    const mk = (state: Schema, symmetry: unknown, extra: Record<string, unknown> = {}) => () => instantiate(defineSpec({
      name: 'Sym',
      setup: () => model({ state, init: { where: () => true, limit: 1e6 } as never, symmetry: symmetry as never, actions: { A: { next: () => {} } }, ...extra }),
    }));
    expect(specError(mk(t.record({ p: t.enum('a', 'b') }), [t.enum('a', 'b')]))).toMatch(/symmetry\[0\] \(a \| b\) does not occur in the state schema; use the same type object/);
    expect(specError(mk(t.record({ p: Pid, q: t.enum('a', 'z') }), [Pid]))).toMatch(/another t.enum\(a, z\) sharing members with symmetry\[0\]/);
    const Nine = t.enum('1', '2', '3', '4', '5', '6', '7', '8', '9');
    expect(specError(mk(t.record({ p: Nine }), [Nine]))).toMatch(/more than 40320 permutations \(8!\)/);
    expect(specError(mk(t.record({ p: Pid }), [t.bool()]))).toMatch(/symmetry\[0\] is not an enum or int type/);
    // A view is canonicalised under the permutations too (test/checker/symmetry-index.test.ts), but may not hide a look-alike enum.
    expect(specError(mk(t.record({ p: Pid }), [Pid], { view: { state: t.enum('a', 'q'), of: () => 'a' } }))).toMatch(/another t.enum\(a, q\) sharing members with symmetry\[0\]/);
    expect(specError(mk(t.record({ p: Pid }), [Pid], { temporal: { L: { alwaysEventually: () => true } } }))).toMatch(/'symmetry' with temporal properties is not sound/);
    expect(specError(mk(t.record({ p: Pid }), Pid))).toMatch(/'symmetry' must be a list/);
  });
});
