// Symmetry over positions (`t.array(e, Unit)`), over an int range holding a symmetric
// type's values and a sentinel (`t.int(-1, n, { of: Unit })`), together with a `view`, and
// the equivariance check (`checkSymmetry`) that tells a symmetric spec from one whose
// declaration is false.

import { describe, expect, it } from 'vitest';
import { check, checkSymmetry, codec, ConfigError, defineSpec, equal, instantiate, model, SchemaError, Successors, t, type Instance, type Schema } from '../../checker/index.js';

/** A spec over schema `state` with every value initial and no step: to count orbits. */
function allStates(state: Schema, symmetry: readonly Schema[], view?: { state: Schema; of: (s: never) => unknown }): Instance {
  return instantiate(defineSpec({
    name: 'Orbits',
    setup: () => model({ state, init: { where: () => true }, symmetry: symmetry as never, view: view as never, actions: { Stay: { next: () => {} } } }),
  })) as Instance;
}

/** Orbits by brute force: the smallest code over all permuted values (of the view, when given). */
function bruteOrbits(inst: Instance, of: (s: unknown) => unknown = (s) => s, viewSchema: Schema = inst.schema): number {
  const succ = new Successors(inst);
  const sym = succ.symmetry!;
  const reps = new Set<string>();
  for (const s of inst.init) {
    const images = Array.from({ length: sym.size }, (_, p) => codec(viewSchema).index(of(sym.permute(s, p))));
    reps.add(String(Math.min(...images)));
  }
  return reps.size;
}

describe('symmetry over array positions and sentinel ranges', () => {
  const Unit = t.int(0, 2);
  const Ref = t.int(-1, 2, { of: Unit });

  it('permutes the positions of t.array(e, Unit) and the values of t.int(-1, 2, { of: Unit }), leaving -1 alone', () => {
    const state = t.record({ v: t.array(t.int(0, 1), Unit), at: Ref });
    const inst = allStates(state, [Unit]);
    const sym = new Successors(inst).symmetry!;
    // Permutation 1 in mixed radix order swaps 1 and 2 (the second of 0..2's permutations in lexicographic order: [0, 2, 1]).
    expect(sym.describe(1)).toBe('1->2 2->1');
    expect(sym.permute({ v: [1, 1, 0], at: 1 }, 1)).toEqual({ v: [1, 0, 1], at: 2 });
    expect(sym.permute({ v: [1, 1, 0], at: -1 }, 1)).toEqual({ v: [1, 0, 1], at: -1 });
    const r = check(inst, {});
    expect(r.stats.distinct).toBe(bruteOrbits(inst));
    // 8 arrays x 4 refs = 32 states. Orbits: with at = -1, the number of ones (4); with `at`
    // on a unit, that unit's value (2) times the multiset of the other two values (3).
    expect(inst.init.length).toBe(32);
    expect(r.stats.distinct).toBe(4 + 2 * 3);
  });

  // Canonical forms: single-leaf columns are sorted in the packed words ('packed columns'),
  // record elements on the decoded state ('columns'); a symmetric value inside an array
  // element falls back to trying every permutation ('permutations').
  for (const [what, state] of [
    ['packed columns', t.record({ v: t.array(t.int(0, 2), Unit), b: t.array(t.bool(), Unit), at: Ref, x: t.bool() })],
    ['columns', t.record({ v: t.array(t.record({ n: t.int(0, 1), f: t.bool() }), Unit), at: Ref })],
    ['permutations', t.record({ v: t.array(t.int(-1, 2, { of: Unit }), Unit) })],
  ] as const) {
    it(`gives every permutation of a state its fingerprint, one per orbit (${what})`, () => {
      const inst = allStates(state, [Unit]);
      const succ = new Successors(inst);
      const sym = succ.symmetry!;
      expect(sym.form).toBe(what);
      const w = new Uint32Array(succ.W);
      const fps = new Set<string>();
      for (const s of inst.init) {
        succ.layout.encode(s, w, 0);
        succ.fingerprint(s, w, 0);
        const fp = `${succ.fp[0]}:${succ.fp[1]}`;
        fps.add(fp);
        for (let p = 1; p < sym.size; p++) {
          succ.layout.encode(sym.permute(s, p), w, 0);
          succ.fingerprintPacked(w, 0);
          expect(`${succ.fp[0]}:${succ.fp[1]}`).toBe(fp);
        }
      }
      expect(fps.size).toBe(bruteOrbits(inst));
    });
  }

  it('compiles the packed-columns sort for its layout: the same representative as the generic loop, on random states', () => {
    // Columns of several widths, a reference with a sentinel, and fields of other words around them.
    const state = t.record({ x: t.int(0, 5), v: t.array(t.int(0, 2), Unit), b: t.array(t.bool(), Unit), at: Ref, w: t.array(t.int(-1, 3), Unit), y: t.bool() });
    const inst = allStates(state, [Unit]);
    const sym = new Successors(inst).symmetry!;
    expect(sym.form).toBe('packed columns');
    const compiled = sym.canonicalPacked!;
    // The generic loop (private): what the compiled code must give, word for word.
    const generic = (w: Uint32Array, o: number): Uint32Array => (sym as unknown as { packedColumns(w: Uint32Array, o: number): Uint32Array }).packedColumns(w, o);
    const layout = new Successors(inst).layout;
    const w = new Uint32Array(layout.words + 1);
    let seed = 11;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    let moved = 0;
    for (let i = 0; i < 2000; i++) {
      const s = { x: rnd(6), v: [rnd(3), rnd(3), rnd(3)], b: [rnd(2) === 1, rnd(2) === 1, rnd(2) === 1], at: rnd(4) - 1, w: [rnd(5) - 1, rnd(5) - 1, rnd(5) - 1], y: rnd(2) === 1 };
      // At offset 1, so that the offset is honoured.
      expect(layout.encode(s as never, w, 1)).toBe(true);
      const want = Array.from(generic(w, 1));
      const got = Array.from(compiled(w, 1));
      expect(got).toEqual(want);
      if (want.some((x, k) => x !== w[1 + k])) moved++;
    }
    // The random states include many that the sort moves.
    expect(moved).toBeGreaterThan(500);
  });

  it('sorts wide columns (more than 31 bits a value) field by field: random states, every permutation, one fingerprint', () => {
    const Wide = t.int(0, 2 ** 16 - 1);
    const state = t.record({ a: t.array(Wide, Unit), b: t.array(Wide, Unit), at: Ref });
    const inst = instantiate(defineSpec({ name: 'Wide', setup: () => model({ state, init: { a: [0, 0, 0], b: [0, 0, 0], at: -1 }, symmetry: [Unit], actions: { Stay: { next: () => {} } } }) })) as Instance;
    const succ = new Successors(inst);
    const sym = succ.symmetry!;
    expect(sym.form).toBe('packed columns');
    const w = new Uint32Array(succ.W);
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let i = 0; i < 300; i++) {
      // Few distinct values, so that ties and equal first columns occur.
      const s = { a: [rnd(3), rnd(3), rnd(3)].map((x) => x * 30000), b: [rnd(2), rnd(2), rnd(2)], at: rnd(4) - 1 };
      succ.layout.encode(s as never, w, 0);
      succ.fingerprint(s as never, w, 0);
      const fp = `${succ.fp[0]}:${succ.fp[1]}`;
      for (let p = 1; p < sym.size; p++) {
        const q = sym.permute(s as never, p);
        succ.layout.encode(q, w, 0);
        succ.fingerprintPacked(w, 0);
        expect(`${succ.fp[0]}:${succ.fp[1]}`).toBe(fp);
      }
      // A state outside the orbit (one value changed) has another fingerprint.
      const other = { ...s, b: [s.b[0] + 2, s.b[1], s.b[2]] };
      succ.layout.encode(other as never, w, 0);
      succ.fingerprintPacked(w, 0);
      expect(`${succ.fp[0]}:${succ.fp[1]}`).not.toBe(fp);
    }
  });

  it('canonicalises the viewed state when a view and a symmetry are combined', () => {
    const state = t.record({ v: t.array(t.int(0, 2), Unit), junk: t.array(t.bool(), Unit) });
    const viewState = t.record({ v: t.array(t.int(0, 2), Unit) });
    const of = (s: { v: number[] }) => ({ v: s.v });
    const inst = allStates(state, [Unit], { state: viewState, of: of as never });
    const want = bruteOrbits(inst, of as never, viewState);
    // Multisets of 3 values of 0..2: C(5, 3) = 10.
    expect(want).toBe(10);
    expect(check(inst, {}).stats.distinct).toBe(want);
  });

  it('rejects an index type that does not start at 0, and an `of` outside the range', () => {
    expect(() => t.array(t.bool(), t.int(1, 3))).toThrow(SchemaError);
    expect(() => t.int(0, 1, { of: t.int(0, 2) })).toThrow(/must contain the values of 'of'/);
    expect(() => t.int(0, 1, { off: t.int(0, 1) } as never)).toThrow(/unknown option 'off'/);
  });
});

// A server that serves pending requests of three clients, one at a time. Which pending
// client is served next is the question: by lowest index (not symmetric: permuting the
// clients changes who is served), or the client whose data is smallest (symmetric: clients
// with equal data are swapped by a permutation that fixes the state).
const Client = t.int(0, 2);
function server(order: 'index' | 'data', bug = false) {
  return defineSpec({
    name: `Server_${order}`,
    check: { deadlock: false },
    setup: () => model({
      state: t.record({ pending: t.array(t.bool(), Client), served: t.array(t.int(0, 2), Client), last: t.int(-1, 2, { of: Client }) }),
      init: { pending: [false, false, false], served: [0, 0, 0], last: -1 },
      symmetry: [Client],
      actions: {
        Request: { params: [0, 1, 2], enabled: (s, c) => !s.pending[c] && s.served[c] < 2, next: (s, c) => { s.pending[c] = true; } },
        Serve: {
          enabled: (s) => s.pending.some((p) => p),
          next: (s) => {
            const key = (c: number) => s.served[c] * 2 + (s.last === c ? 1 : 0);
            let best = -1;
            for (let c = 0; c < 3; c++) if (s.pending[c] && (best < 0 || (order === 'data' && key(c) < key(best)))) best = c;
            s.pending[best] = false;
            s.served[best]++;
            s.last = best;
          },
        },
      },
      invariants: { Fair: (s) => !bug || s.served.filter((n) => n === 2).length < 2 },
    }),
  });
}

describe('checkSymmetry', () => {
  it('passes a spec whose choices depend on the data of a client, not its index', () => {
    const r = checkSymmetry(instantiate(server('data')));
    expect(r).toMatchObject({ status: 'symmetric', permutations: 6, complete: true });
    expect(r.states).toBe(check(instantiate(server('data'))).stats.distinct);
  });

  it('catches a spec that serves the lowest index first, naming the state, the permutation and the step', () => {
    const r = checkSymmetry(instantiate(server('index')));
    expect(r.status).toBe('asymmetric');
    if (r.status !== 'asymmetric') return;
    expect(r.reason).toMatch(/the step Serve of the (permuted )?state reaches an orbit that no step of the (permuted )?state reaches/);
    const succ = new Successors(instantiate(server('index')));
    expect(r.permuted).toEqual(succ.symmetry!.permute(r.state, Array.from({ length: 6 }, (_, p) => p).find((p) => succ.symmetry!.describe(p) === r.permutation)!));
    expect(equal(r.state, r.permuted)).toBe(false);
  });

  it('catches a property that names a value (an invariant about client 0)', () => {
    const spec = defineSpec({
      name: 'Named',
      setup: () => model({
        state: t.record({ n: t.array(t.int(0, 1), Client) }),
        init: { n: [0, 0, 0] },
        symmetry: [Client],
        actions: { Bump: { params: [0, 1, 2], enabled: (s, c) => s.n[c] === 0, next: (s, c) => { s.n[c] = 1; } } },
        invariants: { ZeroFirst: (s) => s.n[0] === 0 || s.n[1] === 1 },
        terminal: () => true,
      }),
    });
    const r = checkSymmetry(instantiate(spec));
    expect(r.status).toBe('asymmetric');
    if (r.status === 'asymmetric') expect(r.reason).toMatch(/invariant/);
  });

  it('gives the same verdict and trace length with and without the symmetry on the symmetric server', () => {
    const inst = instantiate(server('data', true));
    const sym = check(inst, {});
    const full = check({ ...inst, symmetry: [] } as Instance, {});
    expect(sym.status).toBe('violation');
    expect(full.status).toBe('violation');
    if (sym.status !== 'violation' || full.status !== 'violation') return;
    expect(sym.violation.trace.length).toBe(full.violation.trace.length);
    expect(sym.stats.distinct).toBeLessThan(full.stats.distinct);
  });

  it('refuses a spec without symmetry', () => {
    const inst = instantiate(server('data'));
    expect(() => checkSymmetry({ ...inst, symmetry: [] } as Instance)).toThrow(ConfigError);
  });
});
