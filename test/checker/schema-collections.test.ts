// Sequences, sets of any finite type and functions: their schema, their numbering (codec),
// their packing, their printing in traces, ITF and JSON, and their use in recipes under
// both engines.

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  canonical, cardinality, check, codec, domainValues, compileLayout, defineSpec, equal, has, instantiate, leaves, model,
  SchemaError, SequenceLengthError, t, toItf, validate, type Infer, type Schema,
} from '../../checker/index.js';
import { toJson } from '../../checker/report/json.js';
import { randomValue, rng } from '../helpers/random.js';

const Msg = t.record({ type: t.enum('1a', '1b', '2a'), bal: t.int(0, 2) });
const Proc = t.enum('p1', 'p2', 'p3');
// Paxos-like messages: each kind has its own fields.
const PaxosMsg = t.variant('type', {
  '1a': { bal: t.int(0, 2) },
  '1b': { acc: Proc, bal: t.int(0, 2), mbal: t.int(-1, 2), mval: t.enum('none', 'v1', 'v2') },
  '2a': { bal: t.int(0, 2), val: t.enum('v1', 'v2') },
});

const schemas: Record<string, Schema> = {
  'a sequence of enum members': t.seq(t.enum('m1', 'm2', 'm3'), 3),
  'an empty-only sequence': t.seq(t.bool(), 0),
  'a sequence of records': t.seq(Msg, 4),
  'a sequence of sets': t.seq(t.set(t.int(0, 3)), 2),
  'a sequence of sequences': t.seq(t.seq(t.int(-1, 1), 2), 2),
  'a set of records': t.set(Msg),
  'a set of tuples': t.set(t.tuple(t.int(0, 3), t.bool())),
  'a set of sequences': t.set(t.seq(t.enum('a', 'b'), 3)),
  'a set of sets': t.set(t.set(t.enum('x', 'y', 'z'))),
  'a set of booleans': t.set(t.bool()),
  'a set of functions': t.set(t.fn(t.enum('a', 'b'), t.int(0, 2))),
  'a set of 200 records (seven chunks)': t.set(t.record({ a: t.int(0, 9), b: t.int(0, 19) })),
  'a variant': PaxosMsg,
  'a set of variants (Paxos messages)': t.set(PaxosMsg),
  'a sequence of variants': t.seq(PaxosMsg, 3),
  'a function from an enum': t.fn(Proc, t.enum('idle', 'waiting', 'cs')),
  'a function from a negative int range': t.fn(t.int(-2, 2), t.bool()),
  'a function of functions': t.fn(Proc, t.fn(Proc, t.int(0, 3))),
  'a function to sequences': t.fn(Proc, t.seq(Msg, 2)),
  'everything in one record': t.record({
    q: t.seq(t.enum('m1', 'm2'), 2),
    msgs: t.set(Msg),
    pc: t.fn(Proc, t.enum('idle', 'cs')),
    pairs: t.set(t.tuple(Proc, t.int(0, 1))),
    inbox: t.fn(Proc, t.seq(t.int(0, 3), 3)),
  }),
};

describe('collection types: inference and constructors', () => {
  it('infers sequences as arrays, functions as objects keyed by the domain, sets of records as arrays of records', () => {
    const q = t.seq(t.enum('a', 'b'), 3);
    expectTypeOf<Infer<typeof q>>().toEqualTypeOf<('a' | 'b')[]>();
    const pc = t.fn(Proc, t.bool());
    expectTypeOf<Infer<typeof pc>>().toEqualTypeOf<{ p1: boolean; p2: boolean; p3: boolean }>();
    const f = t.fn(t.int(0, 2), t.int(0, 9));
    expectTypeOf<Infer<typeof f>>().toEqualTypeOf<{ [k: number]: number }>();
    expectTypeOf<Infer<typeof PaxosMsg>>().toEqualTypeOf<
      | { type: '1a'; bal: number }
      | { type: '1b'; acc: 'p1' | 'p2' | 'p3'; bal: number; mbal: number; mval: 'none' | 'v1' | 'v2' }
      | { type: '2a'; bal: number; val: 'v1' | 'v2' }
    >();
    const msgs = t.set(Msg);
    expectTypeOf<Infer<typeof msgs>>().toEqualTypeOf<{ type: '1a' | '1b' | '2a'; bal: number }[]>();
  });

  it('rejects malformed collection schemas with a message naming the constructor', () => {
    expect(() => t.seq(t.bool(), -1)).toThrow(/t\.seq\(…, -1\) needs a maximum length >= 0/);
    expect(() => t.seq(t.bool(), 1.5)).toThrow(SchemaError);
    expect(() => t.seq({} as Schema, 2)).toThrow(/t\.seq\(\) element is not a schema/);
    expect(() => t.set(t.seq(t.int(0, 9), 5))).toThrow(/111111 possible values, more than 65536/);
    expect(() => t.fn(t.bool() as never, t.bool())).toThrow(/t\.fn\(\) domain must be a t\.enum\(\) or t\.int\(\)/);
    expect(() => t.fn(Proc, 3 as never)).toThrow(/t\.fn\(\) range is not a schema/);
    expect(() => t.variant('type', {})).toThrow(/needs at least one case/);
    expect(() => t.variant('type', { a: { type: t.bool() } })).toThrow(/case 'a' declares a field named like the tag/);
    expect(() => t.variant('type', { a: { x: 1 as never } })).toThrow(/case 'a' field 'x' is not a schema/);
  });

  it('counts the values of each collection type', () => {
    expect(cardinality(t.seq(t.enum('a', 'b', 'c'), 2))).toBe(1 + 3 + 9);
    expect(cardinality(t.seq(t.bool(), 0))).toBe(1);
    expect(cardinality(t.set(Msg))).toBe(2 ** 9);
    expect(cardinality(t.fn(Proc, t.int(0, 3)))).toBe(4 ** 3);
    expect(cardinality(PaxosMsg)).toBe(3 + 3 * 3 * 4 * 3 + 3 * 2);
  });
});

describe('collection types: validate', () => {
  it('names the sequence that is too long, the missing or foreign function key, the foreign record field in a set', () => {
    expect(validate(t.record({ q: t.seq(t.int(0, 1), 2) }), { q: [0, 1, 1] })).toBe('q: length 3 is more than the maximum 2');
    expect(validate(t.record({ q: t.seq(t.int(0, 1), 2) }), { q: [0, 2] })).toBe('q[1]: 2 is not in 0..1');
    expect(validate(t.record({ pc: t.fn(Proc, t.bool()) }), { pc: { p1: true, p2: false } })).toBe('pc[p3]: missing');
    expect(validate(t.record({ pc: t.fn(Proc, t.bool()) }), { pc: { p1: true, p2: false, p3: true, p4: true } })).toBe('pc[p4]: p4 is not in the function\'s domain');
    expect(validate(t.record({ m: t.set(Msg) }), { m: [{ type: '1a', bal: 0, extra: 1 }] })).toBe('m{0}.extra: not a declared field');
    expect(validate(PaxosMsg, { type: '3a', bal: 0 })).toBe('type: "3a" is not one of 1a | 1b | 2a');
    expect(validate(PaxosMsg, { type: '1a', bal: 0, val: 'v1' })).toBe('val: not a field of case 1a');
    expect(validate(PaxosMsg, { type: '2a', bal: 0 })).toBe('val: missing');
  });
});

describe('codec: a canonical numbering of every finite type', () => {
  const small: Record<string, Schema> = {
    'records': Msg,
    'sequences': t.seq(t.enum('a', 'b', 'c'), 3),
    'sets': t.set(t.enum('x', 'y', 'z')),
    'functions': t.fn(t.int(1, 2), t.enum('u', 'v', 'w')),
    'variants': PaxosMsg,
    'tuples of sets and sequences': t.tuple(t.set(t.bool()), t.seq(t.int(0, 1), 2)),
  };
  for (const [what, s] of Object.entries(small)) {
    it(`numbers the ${what} one to one: value(index) and index(value) are inverse`, () => {
      const c = codec(s);
      expect(c.card).toBe(cardinality(s));
      const seen = new Set<string>();
      for (let i = 0; i < c.card; i++) {
        const v = c.value(i);
        expect(validate(s, v)).toBeNull();
        expect(c.index(v)).toBe(i);
        seen.add(JSON.stringify(v));
      }
      expect(seen.size).toBe(c.card);
    });
  }

  it('orders sequences shorter first, then lexicographically; records by their first field first', () => {
    const q = codec(t.seq(t.enum('a', 'b'), 2));
    expect(Array.from({ length: q.card }, (_, i) => q.value(i))).toEqual([[], ['a'], ['b'], ['a', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'b']]);
    const m = codec(Msg);
    expect([m.value(0), m.value(1), m.value(3)]).toEqual([{ type: '1a', bal: 0 }, { type: '1a', bal: 1 }, { type: '1b', bal: 0 }]);
  });

  it('gives -1 for values outside the type', () => {
    const m = codec(Msg);
    expect(m.index({ type: '3a', bal: 0 })).toBe(-1);
    expect(m.index({ type: '1a', bal: 0, extra: true })).toBe(-1);
    expect(codec(t.seq(t.bool(), 1)).index([true, true])).toBe(-1);
    expect(codec(t.set(t.int(0, 2))).index([3])).toBe(-1);
  });
});

describe('collection types: canonical sets', () => {
  it('lists a set of records in code order without duplicates, whatever order the recipe left', () => {
    const s = t.set(Msg);
    const a = canonical(s, [{ type: '2a', bal: 0 }, { bal: 1, type: '1a' }, { type: '1a', bal: 1 }]);
    expect(a).toEqual([{ type: '1a', bal: 1 }, { type: '2a', bal: 0 }]);
    expect(JSON.stringify(a)).toBe('[{"type":"1a","bal":1},{"type":"2a","bal":0}]'); // keys in declared order too
  });

  it('keeps members outside the element type, after the others, so a TypeOK trace shows them', () => {
    expect(canonical(t.set(t.int(0, 3)), [9, 2, 1])).toEqual([1, 2, 9]);
  });
});

describe('layout of collection types', () => {
  for (const [what, schema] of Object.entries(schemas)) {
    it(`round-trips random values of ${what}`, () => {
      const layout = compileLayout<unknown>(schema);
      const w = new Uint32Array(layout.words + 2);
      const r = rng(0xc0ffee + what.length);
      for (let i = 0; i < 300; i++) {
        const v = randomValue(schema, r);
        expect(validate(schema, v)).toBeNull();
        expect(layout.encode(v, w, 1)).toBe(true);
        expect(layout.decode(w, 1)).toEqual(canonical(schema, v));
        expect(layout.scratch().load(w, 1)).toEqual(canonical(schema, v));
      }
    });
  }

  it('packs collections in few bits: length plus slots, one bit per possible member, one field per domain value', () => {
    expect(compileLayout(t.seq(t.enum('m1', 'm2', 'm3'), 3)).bits).toBe(2 + 3 * 2);
    expect(compileLayout(t.seq(t.bool(), 0)).bits).toBe(0);
    expect(compileLayout(t.set(Msg)).bits).toBe(9);
    expect(compileLayout(t.set(t.tuple(t.int(0, 3), t.bool()))).bits).toBe(8);
    expect(compileLayout(t.fn(Proc, t.enum('idle', 'waiting', 'cs'))).bits).toBe(3 * 2);
    // 117 possible messages: one bit each in a set, a 7-bit code alone.
    expect(compileLayout(t.set(PaxosMsg)).bits).toBe(117);
    expect(compileLayout(PaxosMsg).bits).toBe(7);
    const all = compileLayout(schemas['everything in one record']);
    expect(all.bits).toBe((2 + 2 * 1) + 9 + 3 + 6 + 3 * (2 + 3 * 2));
    expect(all.words).toBe(2);
  });

  it('gives equal sets of records the same words in any order, and distinct sets distinct words', () => {
    const schema = t.set(Msg);
    const layout = compileLayout<unknown[]>(schema);
    const c = codec(Msg);
    const byWords = new Map<number, string>();
    // Every one of the 512 subsets, each listed in reverse code order with a duplicate.
    for (let mask = 0; mask < 2 ** c.card; mask++) {
      const members: unknown[] = [];
      for (let i = c.card - 1; i >= 0; i--) if ((mask >>> i) & 1) members.push(c.value(i), c.value(i));
      const w = new Uint32Array(layout.words);
      expect(layout.encode(members, w, 0)).toBe(true);
      expect(byWords.has(w[0])).toBe(false);
      byWords.set(w[0], JSON.stringify(canonical(schema, members)));
      expect(layout.decode(w, 0)).toEqual(canonical(schema, members));
    }
    expect(byWords.size).toBe(512);
  });

  it('rejects out-of-domain members and elements instead of packing them', () => {
    const layout = compileLayout<unknown>(schemas['everything in one record']);
    const w = new Uint32Array(layout.words);
    const good = { q: ['m1'], msgs: [{ type: '1a', bal: 2 }], pc: { p1: 'idle', p2: 'cs', p3: 'idle' }, pairs: [['p2', 1]], inbox: { p1: [], p2: [3], p3: [0, 1, 2] } };
    expect(layout.encode(good, w, 0)).toBe(true);
    const bad: [string, (v: typeof good) => void][] = [
      ['a sequence element outside its type', (v) => { v.q.push('m3'); }],
      ['a sequence that is not an array', (v) => { (v as { q: unknown }).q = 'm1'; }],
      ['a record member of a set with a foreign field', (v) => { (v.msgs[0] as Record<string, unknown>).extra = 1; }],
      ['a record member of a set with a field out of range', (v) => { v.msgs[0].bal = 3; }],
      ['a tuple member of the wrong length', (v) => { (v.pairs[0] as unknown[]).push(0); }],
      ['a function value outside its range', (v) => { v.pc.p2 = 'waiting'; }],
      ['a function with a missing domain value', (v) => { delete (v.pc as Partial<typeof v.pc>).p3; }],
      ['a function the recipe built with a value outside the domain', (v) => { v.pc = { ...v.pc, p4: 'idle' } as typeof v.pc; }],
    ];
    for (const [what, mutate] of bad) {
      const v = structuredClone(good);
      mutate(v);
      expect(validate(schemas['everything in one record'], v), what).not.toBeNull();
      expect(layout.encode(v, w, 0), what).toBe(false);
    }
  });

  it('rejects a record a recipe built with an undeclared field, but reads declared fields of non-extensible records as before', () => {
    const schema = t.record({ inner: t.record({ a: t.int(0, 3) }) });
    const layout = compileLayout<unknown>(schema);
    const w = new Uint32Array(layout.words);
    expect(layout.encode({ inner: { a: 1, typo: 2 } }, w, 0)).toBe(false);
    expect(validate(schema, { inner: { a: 1, typo: 2 } })).toBe('inner.typo: not a declared field');
    expect(layout.encode(Object.freeze({ inner: Object.freeze({ a: 1 }) }), w, 0)).toBe(true);
  });

  it('rejects a variant with a field of another case, an unknown tag or a missing field', () => {
    const schema = t.set(PaxosMsg);
    const layout = compileLayout<unknown>(schema);
    const w = new Uint32Array(layout.words);
    expect(layout.encode([{ type: '2a', bal: 1, val: 'v2' }, { type: '1a', bal: 0 }], w, 0)).toBe(true);
    expect(layout.decode(w, 0)).toEqual([{ type: '1a', bal: 0 }, { type: '2a', bal: 1, val: 'v2' }]);
    for (const bad of [{ type: '1a', bal: 0, val: 'v1' }, { type: '3a', bal: 0 }, { type: '2a', bal: 0 }, { bal: 0 }]) {
      expect(validate(schema, [bad]), JSON.stringify(bad)).not.toBeNull();
      expect(layout.encode([bad], w, 0), JSON.stringify(bad)).toBe(false);
    }
  });

  it('throws a SequenceLengthError naming the field when a sequence is longer than its bound', () => {
    const layout = compileLayout<unknown>(t.record({ chan: t.record({ q: t.seq(t.int(0, 1), 2) }) }));
    const w = new Uint32Array(layout.words);
    expect(() => layout.encode({ chan: { q: [0, 1, 0] } }, w, 0)).toThrow(SequenceLengthError);
    expect(() => layout.encode({ chan: { q: [0, 1, 0] } }, w, 0)).toThrow('chan.q: a sequence of length 3 is longer than its maximum 2 (t.seq(…, 2))');
    const inFn = compileLayout<unknown>(t.fn(Proc, t.seq(t.bool(), 1)));
    expect(() => inFn.encode({ p1: [], p2: [true, false], p3: [] }, new Uint32Array(inFn.words), 0)).toThrow(/^\[p2\]: a sequence of length 2/);
  });

  it('gives a scratch state whose records, in sequence slots and functions too, refuse undeclared properties', () => {
    const layout = compileLayout<{ q: { a: number }[]; f: Record<string, number> }>(t.record({ q: t.seq(t.record({ a: t.int(0, 3) }), 2), f: t.fn(Proc, t.int(0, 1)) }));
    const w = new Uint32Array(layout.words);
    layout.encode({ q: [{ a: 1 }, { a: 2 }], f: { p1: 0, p2: 1, p3: 0 } }, w, 0);
    const s = layout.scratch().load(w, 0);
    expect(Object.isExtensible(s.q[1])).toBe(false);
    expect(Object.isExtensible(s.f)).toBe(false);
    expect(() => { (s.q[0] as Record<string, number>).b = 1; }).toThrow(TypeError);
    expect(() => { s.f.p4 = 1; }).toThrow(TypeError);
  });

  it('reloads a scratch state correctly after a recipe shifted, pushed and replaced sequence elements', () => {
    const schema = t.record({ q: t.seq(t.record({ a: t.int(0, 3) }), 3) });
    const layout = compileLayout<{ q: { a: number }[] }>(schema);
    const sc = layout.scratch();
    const w = new Uint32Array(layout.words);
    layout.encode({ q: [{ a: 1 }, { a: 2 }] }, w, 0);
    const d = sc.load(w, 0);
    d.q.shift();
    d.q.push({ a: 3 }, { a: 0 });
    const w2 = new Uint32Array(layout.words);
    expect(layout.encode(d, w2, 0)).toBe(true);
    expect(layout.decode(w2, 0)).toEqual({ q: [{ a: 2 }, { a: 3 }, { a: 0 }] });
    // The next load overwrites every slot, whatever the recipe left in the containers.
    expect(sc.load(w, 0)).toEqual({ q: [{ a: 1 }, { a: 2 }] });
  });
});

describe('printing collection types', () => {
  const schema = t.record({
    q: t.seq(t.enum('m1', 'm2'), 2),
    msgs: t.set(t.record({ type: t.enum('1a', '2a'), bal: t.int(0, 1) })),
    pairs: t.set(t.tuple(t.int(0, 2), t.bool())),
    pc: t.fn(t.enum('p1', 'p2'), t.enum('idle', 'cs')),
    votes: t.fn(t.int(0, 1), t.set(t.int(0, 2))),
  });
  const state = { q: ['m2', 'm1'], msgs: [{ type: '2a', bal: 0 }, { type: '1a', bal: 1 }], pairs: [[2, true], [0, false]], pc: { p1: 'cs', p2: 'idle' }, votes: { 0: [2, 0], 1: [] } };

  it('gives sequences and sets as one leaf each and functions one leaf per argument (trace paths)', () => {
    expect(leaves(schema, state).map((l) => `${l.path} = ${JSON.stringify(l.value)}`)).toEqual([
      'q = ["m2","m1"]',
      'msgs = [{"type":"1a","bal":1},{"type":"2a","bal":0}]',
      'pairs = [[0,false],[2,true]]',
      'pc[p1] = "cs"',
      'pc[p2] = "idle"',
      'votes[0] = [0,2]',
      'votes[1] = []',
    ]);
  });

  it('writes ITF lists for sequences, #set (canonical order) of #tup and records, #map for functions', () => {
    const itf = toItf(schema, [{ action: 'Init', label: 'Init', state, changed: [] }]);
    expect(itf.vars).toEqual(['q', 'msgs', 'pairs', 'pc', 'votes']);
    const big = (n: number) => ({ '#bigint': String(n) });
    const { '#meta': _m, ...row } = itf.states[0];
    expect(row).toEqual({
      q: ['m2', 'm1'],
      msgs: { '#set': [{ type: '1a', bal: big(1) }, { type: '2a', bal: big(0) }] },
      pairs: { '#set': [{ '#tup': [big(0), false] }, { '#tup': [big(2), true] }] },
      pc: { '#map': [['p1', 'cs'], ['p2', 'idle']] },
      votes: { '#map': [[big(0), { '#set': [big(0), big(2)] }], [big(1), { '#set': [] }]] },
    });
  });

  it('writes a variant in ITF as a record whose tag is a string field', () => {
    const s = t.record({ msgs: t.set(PaxosMsg) });
    const itf = toItf(s, [{ action: 'Init', label: 'Init', state: { msgs: [{ type: '2a', val: 'v1', bal: 1 }, { type: '1a', bal: 2 }] }, changed: [] }]);
    expect(itf.states[0].msgs).toEqual({ '#set': [{ type: '1a', bal: { '#bigint': '2' } }, { type: '2a', bal: { '#bigint': '1' }, val: 'v1' }] });
  });

  it('writes JSON traces with sets in canonical order and functions as objects', () => {
    const doc = toJson(
      { spec: 'S', constants: {}, schema, reproduce: 'migcheck check s.spec.ts' },
      { status: 'violation', stats: {} as never, violation: { kind: 'invariant', name: 'I', message: '', trace: [{ action: 'Init', label: 'Init', state, changed: [] }] } },
      12,
    ) as { trace: { state: unknown }[] };
    expect(doc.trace[0].state).toEqual({ ...state, msgs: [{ type: '1a', bal: 1 }, { type: '2a', bal: 0 }], pairs: [[0, false], [2, true]], votes: { 0: [0, 2], 1: [] } });
  });
});

describe('structural membership', () => {
  it('finds records, tuples and sequences in a set by value', () => {
    expect(has([{ type: '1a', bal: 1 }], { type: '1a', bal: 1 })).toBe(true);
    expect(has([{ type: '1a', bal: 1 }], { type: '1a', bal: 2 })).toBe(false);
    expect(has([[1, true]], [1, true])).toBe(true);
    expect(equal([1, [2]], [1, [2]])).toBe(true);
    expect(equal({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(equal([1], { 0: 1 })).toBe(false);
  });
});

describe('collection types in recipes, under both engines', () => {
  // A bounded channel: Send appends, Recv takes the head; Recv records what it got in a set of pairs.
  const channel = (bound: number, guard: boolean) => defineSpec({
    name: 'Channel',
    setup: () => model({
      state: t.record({
        q: t.seq(t.enum('a', 'b'), bound),
        got: t.set(t.tuple(t.enum('a', 'b'), t.int(0, 2))),
        count: t.fn(t.enum('a', 'b'), t.int(0, 2)),
      }),
      init: { q: [], got: [], count: { a: 0, b: 0 } },
      actions: {
        Send: {
          params: ['a', 'b'] as const,
          enabled: (s, m) => (!guard || s.q.length < bound) && s.count[m] < 2,
          next: (s, m) => { s.q.push(m); s.count[m]++; },
        },
        Recv: {
          enabled: (s) => s.q.length > 0,
          next: (s) => {
            const m = s.q.shift()!;
            if (!has(s.got, [m, s.count[m]])) s.got.push([m, s.count[m]]);
          },
        },
      },
      terminal: () => true,
    }),
  });

  // Phase 1 of a Paxos-like ballot: a leader sends 1a, acceptors answer with 1b; the
  // message set holds variants, and guards narrow on the tag.
  const ballots = defineSpec({
    name: 'Ballots',
    setup: () => model({
      state: t.record({ msgs: t.set(PaxosMsg), maxBal: t.fn(Proc, t.int(-1, 2)) }),
      init: { msgs: [], maxBal: { p1: -1, p2: -1, p3: -1 } },
      actions: {
        Phase1a: { params: [0, 1, 2], next: (s, b) => { s.msgs.push({ type: '1a', bal: b }); } },
        Phase1b: {
          params: (['p1', 'p2', 'p3'] as const).flatMap((a) => [0, 1, 2].map((b) => [a, b] as const)),
          enabled: (s, [a, b]) => has(s.msgs, { type: '1a', bal: b }) && b > s.maxBal[a],
          next: (s, [a, b]) => { s.maxBal[a] = b; s.msgs.push({ type: '1b', acc: a, bal: b, mbal: -1, mval: 'none' }); },
        },
      },
      invariants: {
        OneBPerBallotAfterOneA: (s) => s.msgs.every((m) => m.type !== '1b' || has(s.msgs, { type: '1a', bal: m.bal })),
      },
      terminal: () => true,
    }),
  });

  it('checks a spec whose message set holds variants identically under both engines', () => {
    const fast = check(instantiate(ballots, {}), { engine: 'fast' });
    const immer = check(instantiate(ballots, {}), { engine: 'immer' });
    expect(fast.status).toBe('ok');
    expect(immer.status).toBe('ok');
    expect(fast.stats.distinct).toBe(immer.stats.distinct);
    expect(fast.stats.generated).toBe(immer.stats.generated);
    expect(fast.stats.distinct).toBeGreaterThan(100);
  });

  for (const engine of ['fast', 'immer'] as const) {
    it(`explores the same states with the ${engine} engine as a hand count gives`, () => {
      const r = check(instantiate(channel(2, true), {}), { engine });
      expect(r.status).toBe('ok');
      // Reference count from the other engine, so that both engines agree state for state.
      const other = check(instantiate(channel(2, true), {}), { engine: engine === 'fast' ? 'immer' : 'fast' });
      expect(r.stats.distinct).toBe(other.stats.distinct);
      expect(r.stats.generated).toBe(other.stats.generated);
      expect(r.stats.distinct).toBeGreaterThan(20);
    });

    it(`reports a sequence pushed past its bound as an evaluation error naming the field and the action (${engine})`, () => {
      const r = check(instantiate(channel(1, false), {}), { engine });
      expect(r.status).toBe('error');
      if (r.status !== 'error') return;
      expect(r.error.phase).toBe('next');
      expect(r.error.action).toBe('Send');
      expect(r.error.message).toContain('q: a sequence of length 2 is longer than its maximum 1');
      expect(r.error.trace.map((s) => s.label)).toEqual(['Init', 'Send(a)']);
    });
  }
});
