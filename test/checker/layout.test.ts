import { describe, expect, it } from 'vitest';
import { canonical, compileLayout, t, validate, type Schema } from '../../checker/index.js';
import { randomValue, rng } from '../helpers/random.js';

const schemas: Record<string, Schema> = {
  'a lone enum': t.enum('RUNNING', 'STOP', 'RESUMING', 'STOP_COPY', 'PRE_COPY'),
  'a one-member enum (zero bits)': t.enum('only'),
  'a one-value int (zero bits)': t.record({ k: t.int(-1, -1), n: t.int(0, 3) }),
  'a negative int range': t.int(-7, -2),
  'an int range across zero': t.int(-1000, 1000),
  'a 31-bit int range': t.int(-(2 ** 30), 2 ** 30 - 1),
  'a bool': t.bool(),
  'a fixed array': t.array(t.int(0, 5), 7),
  'an empty array': t.array(t.bool(), 0),
  'a tuple of mixed kinds': t.tuple(t.bool(), t.int(-3, 3), t.enum('x', 'y')),
  'a small set of enum members': t.set(t.enum('a', 'b', 'c', 'd')),
  'a set over a negative int domain': t.set(t.int(-5, 5)),
  'a set of exactly 31 members': t.set(t.int(0, 30)),
  'a set of 32 members (two chunks)': t.set(t.int(0, 31)),
  'a set of 70 members (three chunks)': t.set(t.int(100, 169)),
  'nested records, arrays of records and tuples': t.record({
    src: t.record({
      phase: t.enum('RUNNING', 'STOP_COPY', 'STOP'),
      units: t.array(t.record({ version: t.int(0, 3), dirty: t.bool() }), 3),
    }),
    dst: t.tuple(t.int(-1, 2), t.set(t.enum('u0', 'u1', 'u2')), t.record({ fd: t.int(-1, 4) })),
    big: t.set(t.int(0, 40)),
    wide: t.array(t.int(-(2 ** 20), 2 ** 20), 4),
  }),
};

describe('layout: encode/decode', () => {
  for (const [what, schema] of Object.entries(schemas)) {
    it(`round-trips random values of ${what}`, () => {
      const layout = compileLayout<unknown>(schema);
      const w = new Uint32Array(layout.words + 2);
      const r = rng(0xdecaf + what.length);
      for (let i = 0; i < 300; i++) {
        const v = randomValue(schema, r);
        expect(validate(schema, v)).toBeNull();
        // At an offset, to catch fields written relative to 0 instead of o.
        expect(layout.encode(v, w, 1)).toBe(true);
        expect(layout.decode(w, 1)).toEqual(canonical(schema, v));
      }
    });
  }

  it('packs first-fit so small fields share words', () => {
    const layout = compileLayout(t.record({ a: t.int(0, 2 ** 20), b: t.int(0, 2 ** 10), c: t.bool(), d: t.enum('x', 'y', 'z') }));
    expect(layout.bits).toBe(21 + 11 + 1 + 2);
    expect(layout.words).toBe(2);
  });

  it('gives the same words for the same set in any order and with duplicates', () => {
    const schema = t.set(t.int(0, 40));
    const layout = compileLayout<number[]>(schema);
    const a = new Uint32Array(layout.words);
    const b = new Uint32Array(layout.words);
    layout.encode([40, 3, 31, 3], a, 0);
    layout.encode([3, 31, 40], b, 0);
    expect([...a]).toEqual([...b]);
    expect(layout.decode(a, 0)).toEqual([3, 31, 40]);
  });
});

describe('layout: out-of-domain values are rejected, not packed', () => {
  const schema = schemas['nested records, arrays of records and tuples'];
  const layout = compileLayout<unknown>(schema);
  const w = new Uint32Array(layout.words);
  const base = randomValue(schema, rng(7)) as {
    src: { phase: string; units: { version: number; dirty: boolean }[] };
    dst: [number, string[], { fd: number }];
    big: number[];
    wide: number[];
  };
  const variants: [string, (v: typeof base) => void][] = [
    ['an unknown enum member', (v) => { v.src.phase = 'PAUSED'; }],
    ['an int above its range', (v) => { v.src.units[1].version = 4; }],
    ['an int below a negative range', (v) => { v.dst[0] = -2; }],
    ['a fractional int', (v) => { v.src.units[0].version = 1.5; }],
    ['a string where an int belongs', (v) => { (v.dst[2] as { fd: unknown }).fd = '3'; }],
    ['NaN', (v) => { v.wide[2] = Number.NaN; }],
    ['a number where a boolean belongs', (v) => { (v.src.units[2] as { dirty: unknown }).dirty = 1; }],
    ['an array one element short', (v) => { v.src.units.pop(); }],
    ['an array one element long', (v) => { v.wide.push(0); }],
    ['a set member outside the domain', (v) => { v.big.push(41); }],
    ['a set member of the wrong type', (v) => { (v.dst[1] as unknown[]).push(0); }],
    ['a set that is not an array', (v) => { (v as { big: unknown }).big = new Set([1]); }],
    ['a missing field', (v) => { delete (v.dst[2] as { fd?: number }).fd; }],
  ];
  for (const [what, mutate] of variants) {
    it(`rejects ${what}`, () => {
      const v = structuredClone(base);
      expect(layout.encode(v, w, 0)).toBe(true);
      mutate(v);
      expect(validate(schema, v)).not.toBeNull();
      expect(layout.encode(v, w, 0)).toBe(false);
    });
  }
});

describe('layout: a one-value int', () => {
  const layout = compileLayout<unknown>(t.record({ k: t.int(-1, -1), n: t.int(0, 3) }));
  const w = new Uint32Array(layout.words);
  it('takes no bits and accepts its value (and -0 for 0)', () => {
    expect(layout.bits).toBe(2);
    expect(layout.encode({ k: -1, n: 2 }, w, 0)).toBe(true);
    expect(layout.decode(w, 0)).toEqual({ k: -1, n: 2 });
    expect(compileLayout<unknown>(t.int(0, 0)).encode(-0, w, 0)).toBe(true);
  });
  for (const bad of [0, -2, 1.5, '-1', Number.NaN, undefined, null, true])
    it(`rejects ${typeof bad === 'string' ? `'${bad}'` : String(bad)}`, () => expect(layout.encode({ k: bad, n: 0 }, w, 0)).toBe(false));
});

describe('layout: fingerprints', () => {
  it('uses the packed state itself as fingerprint when it fits in 63 bits', () => {
    expect(compileLayout(t.int(0, 2 ** 31 - 1)).exact).toBe(true);
    const i31 = t.int(0, 2 ** 31 - 1);
    expect(compileLayout(t.tuple(i31, i31)).exact).toBe(true); // 62 bits
    expect(compileLayout(t.tuple(i31, i31, t.bool())).exact).toBe(true); // 63 bits: the bool fills word 0
    expect(compileLayout(t.tuple(i31, i31, t.bool(), t.bool())).exact).toBe(false); // 64 bits
    // Fields never straddle words: three 21-bit fields take three words although they are 63 bits.
    expect(compileLayout(t.array(t.int(0, 2 ** 21 - 1), 3)).words).toBe(3);
    expect(compileLayout(t.array(t.int(0, 2 ** 21 - 1), 3)).exact).toBe(false);
    expect(compileLayout(schemas['nested records, arrays of records and tuples']).exact).toBe(false);
  });

  for (const [what, schema] of [
    ['exact', t.record({ a: t.int(-50, 50), b: t.set(t.enum('p', 'q', 'r')), c: t.array(t.bool(), 5) })],
    ['hashed', schemas['nested records, arrays of records and tuples']],
  ] as const) {
    it(`gives equal states equal fingerprints and distinct states distinct ones (${what})`, () => {
      const layout = compileLayout<unknown>(schema);
      expect(layout.exact).toBe(what === 'exact');
      const w = new Uint32Array(layout.words);
      const fp = new Uint32Array(2);
      const byFp = new Map<string, string>();
      const r = rng(42);
      for (let i = 0; i < 5000; i++) {
        const v = randomValue(schema, r);
        layout.encode(v, w, 0);
        layout.fingerprint(w, 0, fp);
        expect(fp[0] === 0 && fp[1] === 0).toBe(false); // (0,0) marks an empty slot
        const key = `${fp[0]}:${fp[1]}`;
        const state = JSON.stringify(canonical(schema, v));
        const seen = byFp.get(key);
        if (seen !== undefined) expect(seen).toBe(state);
        else byFp.set(key, state);
      }
      // Enough distinct states were drawn for the comparison to mean something.
      expect(byFp.size).toBeGreaterThan(1000);
    });
  }

  it('never gives the all-zero fingerprint, even for the all-zero state', () => {
    for (const schema of [t.int(0, 3), t.tuple(t.int(0, 2 ** 31 - 1), t.int(0, 3)), t.array(t.int(0, 2 ** 20), 8)]) {
      const layout = compileLayout<unknown>(schema);
      const w = new Uint32Array(layout.words);
      const fp = new Uint32Array(2);
      layout.fingerprint(w, 0, fp);
      expect(fp[0] !== 0 || fp[1] !== 0).toBe(true);
    }
  });
});

/** Makes `target` hold `value` by writing leaves into its own records and arrays, as a recipe does. */
function assignInPlace(target: any, value: any): void {
  if (Array.isArray(value)) {
    target.length = value.length;
    value.forEach((v, i) => {
      if (typeof v === 'object' && v !== null && typeof target[i] === 'object' && target[i] !== null) assignInPlace(target[i], v);
      else target[i] = v;
    });
    return;
  }
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v === 'object' && v !== null && typeof target[k] === 'object' && target[k] !== null) assignInPlace(target[k], v);
    else target[k] = v;
  }
}

describe('layout: scratch restore', () => {
  const containers = Object.entries(schemas).filter(([, s]) => s.kind === 'record' || s.kind === 'array' || s.kind === 'tuple');
  for (const [what, schema] of containers) {
    it(`gives back the loaded state after in-place changes, for ${what}`, () => {
      const layout = compileLayout<any>(schema);
      const sc = layout.scratch();
      const parent = new Uint32Array(layout.words + 1);
      const succ = new Uint32Array(layout.words + 3);
      const r = rng(0x5eed + what.length);
      for (let i = 0; i < 200; i++) {
        const v1 = randomValue(schema, r);
        expect(layout.encode(v1, parent, 1)).toBe(true);
        const want = layout.decode(parent, 1);
        let d = sc.load(parent, 1);
        // Several recipes in turn, each packed where the next one's restore reads it.
        for (let j = 0; j < 3; j++) {
          assignInPlace(d, randomValue(schema, r));
          expect(sc.encode(d, succ, 2)).toBe(true);
          d = sc.restore(succ, 2);
          expect(d).toEqual(want);
          expect(sc.encode(d, succ, 0)).toBe(true);
          expect([...succ.subarray(0, layout.words)]).toEqual([...parent.subarray(1, 1 + layout.words)]);
        }
      }
    });
  }

  it('loads everything again when a recipe replaced a record or an array', () => {
    const schema = t.record({ a: t.record({ x: t.int(0, 3), y: t.bool() }), b: t.array(t.enum('p', 'q'), 2), c: t.int(0, 9) });
    const layout = compileLayout<any>(schema);
    const sc = layout.scratch();
    const parent = new Uint32Array(layout.words);
    const succ = new Uint32Array(layout.words);
    const v = { a: { x: 2, y: true }, b: ['q', 'p'], c: 7 };
    layout.encode(v, parent, 0);
    let d = sc.load(parent, 0);
    const ownA = d.a;
    d.a = { x: 2, y: true }; // same bits, another object: the scratch's own record must come back
    expect(sc.encode(d, succ, 0)).toBe(true);
    d = sc.restore(succ, 0);
    expect(d.a).toBe(ownA);
    expect(d).toEqual(v);
    const ownB = d.b;
    d.b = ['p', 'p'];
    ownB[0] = 'p'; // the replaced array was changed too, without its bits showing it
    expect(sc.encode(d, succ, 0)).toBe(true);
    d = sc.restore(succ, 0);
    expect(d.b).toBe(ownB);
    expect(d).toEqual(v);
  });

  it('loads everything again when a recipe swapped two of its own records', () => {
    const rec = t.record({ x: t.int(0, 3), y: t.bool() });
    const schema = t.record({ p: rec, q: rec, n: t.array(t.int(0, 3), 2) });
    const layout = compileLayout<any>(schema);
    const sc = layout.scratch();
    const parent = new Uint32Array(layout.words);
    const succ = new Uint32Array(layout.words);
    const v = { p: { x: 1, y: true }, q: { x: 1, y: true }, n: [2, 3] };
    layout.encode(v, parent, 0);
    let d = sc.load(parent, 0);
    const [ownP, ownQ] = [d.p, d.q];
    // Same bits (both records hold the same values), each own record in the other's place.
    [d.p, d.q] = [d.q, d.p];
    d.q.x = 0; // changes p's own record through q: restore must not trust the bits alone
    expect(sc.encode(d, succ, 0)).toBe(true);
    d = sc.restore(succ, 0);
    expect(d.p).toBe(ownP);
    expect(d.q).toBe(ownQ);
    expect(d).toEqual(v);
  });
});
