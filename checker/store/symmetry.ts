// Symmetry reduction (TLC's SYMMETRY): states that differ only by a permutation of the
// values of some symmetric sets (process ids, units) are one state for the search. The
// representative of a state's orbit is the permuted state whose packed words are
// lexicographically smallest; its fingerprint is the orbit's fingerprint. Taking the
// minimum over the whole group (every permutation of every symmetric set, all combined)
// makes the representative the same for every member of the orbit.
//
// A permutation σ acts on a state by replacing every value x of a symmetric type by σ(x):
// enum members and int values wherever the schema node is the symmetric type object (by
// identity), set members, sequence and tuple elements, and the keys of functions whose
// domain is the symmetric type ((σf)[σ(p)] = σ(f[p])), the positions of arrays indexed by it
// (`t.array(e, Unit)`: (σa)[σ(i)] = σ(a[i])), and the values of an int range declared to hold
// its values (`t.int(-1, 2, { of: Unit })`; values outside Unit's range, such as a -1 for
// "none", stay).

import { codec, type Schema, type EnumType, type IntType } from '../schema.js';
import type { Layout, LeafField } from './layout.js';

type SymType = EnumType<string> | IntType;

/** Maps one value of a symmetric type under the current permutation. */
type Mapper = (v: unknown) => unknown;

/** All permutations of 0..n-1, identity first, in lexicographic order. */
function permutations(n: number): Int32Array[] {
  const out: Int32Array[] = [];
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (;;) {
    out.push(a.slice());
    // Next permutation in lexicographic order.
    let i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1]) i--;
    if (i < 0) return out;
    let j = n - 1;
    while (a[j] <= a[i]) j--;
    [a[i], a[j]] = [a[j], a[i]];
    for (let l = i + 1, r = n - 1; l < r; l++, r--) [a[l], a[r]] = [a[r], a[l]];
  }
}

/**
 * Where one int symmetric type occurs when every occurrence is a column: an array indexed by
 * it (`t.array(e, Unit)`) whose elements hold no symmetric value, or a number that names one
 * of its values (the type itself or `t.int(…, { of: Unit })`), reached from the root through
 * record fields only. The state's symmetric data is then a table of one column per value,
 * and sorting the columns is a canonical form (`Columns`); anything else is enumerated.
 */
interface Columns {
  readonly arrays: { readonly path: readonly string[]; readonly code: (v: unknown) => number }[];
  readonly refs: readonly (readonly string[])[];
}

/** The column form on packed states: each array column's field per value, and each reference's field. */
interface PackedColumns {
  readonly arrays: readonly (readonly LeafField[])[];
  readonly refs: readonly LeafField[];
  /** A column fits in one 31-bit number (its fields' widths and one bit per reference). */
  readonly oneKey: boolean;
}

export class Symmetry<S> {
  /** Number of permutations in the group (identity included). */
  readonly size: number;
  private readonly apply: (v: unknown) => unknown;
  /** cur[k]: the current permutation of symmetric type k, as a map of its values. */
  private readonly cur: Mapper[];
  /** maps[k][p]: permutation p of type k as a value mapper. */
  private readonly maps: Mapper[][];
  private readonly tmp: Uint32Array;
  private readonly best: Uint32Array;
  /** The column form of the one symmetric type, when the schema has it: canonical by sorting instead of by trying every permutation. */
  readonly columns: Columns | undefined;
  /** The column form located in the packing, when every column is a single leaf: canonical without decoding. */
  private readonly packed: PackedColumns | undefined;
  /**
   * The packed-columns sort, when the form is 'packed columns': compiled for this layout when
   * a column fits one number (the common case, the hot path of a symmetric search), else the
   * generic loop `packedColumns`.
   */
  private readonly packedSort: ((w: Uint32Array, o: number) => Uint32Array) | undefined;
  /** How `canonical` works: sorting columns in the packed words, sorting columns of the decoded state, or trying every permutation. */
  get form(): 'packed columns' | 'columns' | 'permutations' {
    return this.packed ? 'packed columns' : this.columns ? 'columns' : 'permutations';
  }
  private readonly keys: Int32Array;
  private readonly order: Int32Array;
  private readonly to: Int32Array;
  private readonly codes: Int32Array;

  constructor(schema: Schema, readonly types: readonly SymType[], private readonly layout: Layout<S>) {
    const id: Mapper = (v) => v;
    this.maps = types.map((ty) => {
      const vals: unknown[] = ty.kind === 'enum' ? [...ty.values] : Array.from({ length: ty.max - ty.min + 1 }, (_, i) => ty.min + i);
      return permutations(vals.length).map((p, pi) => {
        if (pi === 0) return id;
        const m = new Map<unknown, unknown>(vals.map((v, i) => [v, vals[p[i]]]));
        return (v: unknown) => (m.has(v) ? m.get(v) : v);
      });
    });
    this.size = this.maps.reduce((a, m) => a * m.length, 1);
    this.cur = types.map(() => id);
    this.apply = this.compile(schema) ?? id;
    this.columns = types.length === 1 && types[0].kind === 'int' ? columnsOf(schema, types[0]) : undefined;
    this.packed = this.columns && packedColumns(this.columns, types[0] as IntType, layout);
    this.packedSort = this.packed === undefined ? undefined
      : this.packed.oneKey ? compileOneKey(this.packed, types[0] as IntType, layout.words) : (w, o) => this.packedColumns(w, o);
    const n = types.length === 1 && types[0].kind === 'int' ? types[0].max - types[0].min + 1 : 0;
    this.keys = new Int32Array(n * ((this.columns?.arrays.length ?? 0) + (this.columns?.refs.length ?? 0)));
    this.order = new Int32Array(n);
    this.to = new Int32Array(n);
    this.codes = new Int32Array(n);
    this.tmp = new Uint32Array(layout.words);
    this.best = new Uint32Array(layout.words);
  }

  /** A function applying the current permutation to a value of schema s, or undefined when s holds no symmetric value. */
  private compile(s: Schema): ((v: unknown) => unknown) | undefined {
    const k = this.types.indexOf((s.kind === 'int' && s.of ? s.of : s) as SymType);
    if (k >= 0) {
      const cur = this.cur;
      return (v) => cur[k](v);
    }
    switch (s.kind) {
      case 'record': {
        const parts = Object.entries(s.fields).map(([f, fs]) => [f, this.compile(fs)] as const).filter((x) => x[1] !== undefined);
        if (parts.length === 0) return undefined;
        return (v) => {
          const o = { ...(v as Record<string, unknown>) };
          for (const [f, p] of parts) o[f] = p!(o[f]);
          return o;
        };
      }
      case 'array': {
        const e = this.compile(s.element);
        const ki = s.index ? this.types.indexOf(s.index) : -1;
        if (ki < 0) return e && ((v) => (v as unknown[]).map(e));
        // Positions are values of the symmetric type: (σa)[σ(i)] = σ(a[i]).
        const cur = this.cur;
        return (v) => {
          const a = v as unknown[];
          const o = new Array<unknown>(a.length);
          for (let i = 0; i < a.length; i++) o[cur[ki](i) as number] = e ? e(a[i]) : a[i];
          return o;
        };
      }
      case 'seq':
      case 'set': {
        const e = this.compile(s.element);
        return e && ((v) => (v as unknown[]).map(e));
      }
      case 'tuple': {
        const es = s.elements.map((e) => this.compile(e));
        if (es.every((e) => e === undefined)) return undefined;
        return (v) => (v as unknown[]).map((x, i) => (es[i] ? es[i]!(x) : x));
      }
      case 'fn': {
        const kd = this.types.indexOf(s.domain);
        const r = this.compile(s.range);
        if (kd < 0 && r === undefined) return undefined;
        const cur = this.cur;
        const num = s.domain.kind === 'int';
        return (v) => {
          const o: Record<string, unknown> = {};
          for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
            const nk = kd < 0 ? key : String(cur[kd](num ? Number(key) : key));
            o[nk] = r ? r(x) : x;
          }
          return o;
        };
      }
      case 'variant': {
        const cases = new Map<string, [string, (v: unknown) => unknown][]>();
        for (const [c, fields] of Object.entries(s.cases)) {
          const parts = Object.entries(fields).map(([f, fs]) => [f, this.compile(fs)] as const).filter((x) => x[1] !== undefined);
          if (parts.length > 0) cases.set(c, parts as [string, (v: unknown) => unknown][]);
        }
        if (cases.size === 0) return undefined;
        const tag = s.tag;
        return (v) => {
          const parts = cases.get((v as Record<string, unknown>)[tag] as string);
          if (!parts) return v;
          const o = { ...(v as Record<string, unknown>) };
          for (const [f, p] of parts) o[f] = p(o[f]);
          return o;
        };
      }
      default:
        return undefined;
    }
  }

  /**
   * `canonical` from the packed words alone, when the form is 'packed columns' (it reads no
   * object: a view that is the packed state with some bits replaced can be canonicalised
   * without building the viewed object); undefined for the other forms.
   */
  get canonicalPacked(): ((w: Uint32Array, o: number) => Uint32Array) | undefined {
    return this.packedSort;
  }

  /**
   * The orbit representative of state t, packed at w[o..] (t's own packing): the smallest
   * packing of any permutation of t. Returns a buffer reused by the next call.
   */
  canonical(t: S, w: Uint32Array, o: number): Uint32Array {
    if (this.packedSort) return this.packedSort(w, o);
    if (this.columns) return this.sortedColumns(t);
    const { layout, tmp, best, maps, cur } = this;
    const W = layout.words;
    for (let i = 0; i < W; i++) best[i] = w[o + i];
    const n = maps.length;
    const idx = new Int32Array(n);
    for (let p = 1; p < this.size; p++) {
      // Next combination (mixed radix, type 0 fastest).
      for (let k = 0; k < n; k++) {
        if (++idx[k] < maps[k].length) break;
        idx[k] = 0;
      }
      for (let k = 0; k < n; k++) cur[k] = maps[k][idx[k]];
      if (!layout.encode(this.apply(t) as S, tmp, 0)) throw new Error('symmetry: a permuted state is outside the schema');
      let i = 0;
      while (i < W && tmp[i] === best[i]) i++;
      if (i < W && tmp[i] < best[i]) best.set(tmp);
    }
    for (let k = 0; k < n; k++) cur[k] = maps[k][0];
    return best;
  }

  /**
   * The column form's representative: the values of the symmetric type reordered so that
   * their columns (each array's element at that value, and whether each reference names it)
   * are in ascending order, ties in their own order. Two states of one orbit have the same
   * columns in some order, and tied values have equal columns (no reference names either),
   * so swapping them changes nothing: the sorted state is the same for the whole orbit.
   */
  private sortedColumns(t: S): Uint32Array {
    const { arrays, refs } = this.columns!;
    const ty = this.types[0] as IntType;
    const n = ty.max - ty.min + 1;
    const width = arrays.length + refs.length;
    const keys = new Int32Array(n * width);
    const get = (path: readonly string[]) => {
      let v: unknown = t;
      for (const f of path) v = (v as Record<string, unknown>)[f];
      return v;
    };
    for (let a = 0; a < arrays.length; a++) {
      const arr = get(arrays[a].path) as unknown[];
      for (let u = 0; u < n; u++) keys[u * width + a] = arrays[a].code(arr[u]);
    }
    for (let r = 0; r < refs.length; r++) {
      const v = get(refs[r]) as number;
      if (v >= ty.min && v <= ty.max) keys[(v - ty.min) * width + arrays.length + r] = 1;
    }
    const order = Array.from({ length: n }, (_, u) => u);
    order.sort((x, y) => {
      for (let i = 0; i < width; i++) {
        const d = keys[x * width + i] - keys[y * width + i];
        if (d !== 0) return d;
      }
      return x - y;
    });
    // Value ty.min + order[k] goes to ty.min + k.
    const to = new Int32Array(n);
    for (let k = 0; k < n; k++) to[order[k]] = k;
    const min = ty.min;
    this.cur[0] = (v: unknown) => (typeof v === 'number' && v >= min && v <= ty.max ? min + to[v - min] : v);
    const ok = this.layout.encode(this.apply(t) as S, this.tmp, 0);
    this.cur[0] = this.maps[0][0];
    if (!ok) throw new Error('symmetry: a permuted state is outside the schema');
    return this.tmp;
  }

  /** `sortedColumns` on the packed state: the same representative, read and written field by field. */
  private packedColumns(w: Uint32Array, o: number): Uint32Array {
    const { arrays, refs } = this.packed!;
    const { tmp, keys, order, to, codes } = this;
    const ty = this.types[0] as IntType;
    const n = order.length;
    const width = arrays.length + refs.length;
    const W = this.layout.words;
    for (let i = 0; i < W; i++) tmp[i] = w[o + i];
    let moved = false;
    if (this.packed!.oneKey) {
      // A value's column as one number: its fields side by side, the first column highest
      // (so comparing numbers compares columns lexicographically), then insertion sort.
      const key = this.codes;
      for (let u = 0; u < n; u++) {
        let k = 0;
        for (let a = 0; a < arrays.length; a++) k = (k << arrays[a][u].width) | readField(tmp, arrays[a][u]);
        key[u] = k << refs.length;
      }
      for (let r = 0; r < refs.length; r++) {
        const v = readField(tmp, refs[r]) + refs[r].min;
        if (v >= ty.min && v <= ty.max) key[v - ty.min] |= 1 << (refs.length - 1 - r);
      }
      for (let k = 0; k < n; k++) {
        let j = k;
        while (j > 0 && key[order[j - 1]] > key[k]) {
          order[j] = order[j - 1];
          j--;
        }
        order[j] = k;
        if (j !== k) moved = true;
      }
    } else {
      keys.fill(0);
      for (let a = 0; a < arrays.length; a++) for (let u = 0; u < n; u++) keys[u * width + a] = readField(tmp, arrays[a][u]);
      for (let r = 0; r < refs.length; r++) {
        const v = readField(tmp, refs[r]) + refs[r].min;
        if (v >= ty.min && v <= ty.max) keys[(v - ty.min) * width + arrays.length + r] = 1;
      }
      // Insertion sort of the values by their columns (n is at most 8), ties in value order.
      for (let k = 0; k < n; k++) {
        let j = k;
        while (j > 0 && columnBefore(keys, width, k, order[j - 1])) {
          order[j] = order[j - 1];
          j--;
        }
        order[j] = k;
        if (j !== k) moved = true;
      }
    }
    if (!moved) return tmp;
    for (let k = 0; k < n; k++) to[order[k]] = k;
    for (const col of arrays) {
      for (let u = 0; u < n; u++) codes[u] = readField(tmp, col[u]);
      for (let k = 0; k < n; k++) writeField(tmp, col[k], codes[order[k]]);
    }
    for (const f of refs) {
      const v = readField(tmp, f) + f.min;
      if (v >= ty.min && v <= ty.max) writeField(tmp, f, ty.min + to[v - ty.min] - f.min);
    }
    return tmp;
  }

  /** Permutation number p as text: each symmetric type's values that it moves (`0->1 1->0`), `identity` for none. */
  describe(p: number): string {
    const parts: string[] = [];
    let r = p;
    this.types.forEach((ty, k) => {
      const np = this.maps[k].length;
      const m = this.maps[k][r % np];
      r = Math.floor(r / np);
      const vals: unknown[] = ty.kind === 'enum' ? [...ty.values] : Array.from({ length: ty.max - ty.min + 1 }, (_, i) => ty.min + i);
      const moved = vals.filter((v) => m(v) !== v).map((v) => `${String(v)}->${String(m(v))}`);
      if (moved.length > 0) parts.push(moved.join(' '));
    });
    return parts.length === 0 ? 'identity' : parts.join('; ');
  }

  /** Applies permutation number p (0 = identity; the order of `canonical`'s loop) to a state. */
  permute(t: S, p: number): S {
    const n = this.maps.length;
    let r = p;
    for (let k = 0; k < n; k++) {
      this.cur[k] = this.maps[k][r % this.maps[k].length];
      r = Math.floor(r / this.maps[k].length);
    }
    const out = this.apply(t) as S;
    for (let k = 0; k < n; k++) this.cur[k] = this.maps[k][0];
    return out;
  }
}

/** Whether schema s holds a value of the symmetric type ty anywhere. */
function mentions(s: Schema, ty: Schema): boolean {
  if (s === ty) return true;
  switch (s.kind) {
    case 'int': return s.of === ty;
    case 'record': return Object.values(s.fields).some((f) => mentions(f, ty));
    case 'array': return s.index === ty || mentions(s.element, ty);
    case 'seq': case 'set': return mentions(s.element, ty);
    case 'tuple': return s.elements.some((e) => mentions(e, ty));
    case 'fn': return s.domain === ty || mentions(s.domain, ty) || mentions(s.range, ty);
    case 'variant': return Object.values(s.cases).some((c) => Object.values(c).some((f) => mentions(f, ty)));
    default: return false;
  }
}

/** The column form of `schema` for the int type ty (see `Columns`), or undefined when some occurrence is of another shape. */
function columnsOf(schema: Schema, ty: IntType): Columns | undefined {
  const arrays: { path: readonly string[]; code: (v: unknown) => number }[] = [];
  const refs: (readonly string[])[] = [];
  const walk = (s: Schema, path: readonly string[]): boolean => {
    if (!mentions(s, ty)) return true;
    if (s === ty || (s.kind === 'int' && s.of === ty)) return refs.push(path), true;
    if (s.kind === 'array' && s.index === ty && !mentions(s.element, ty)) {
      const c = codec(s.element);
      return arrays.push({ path, code: (v) => c.index(v) }), true;
    }
    if (s.kind === 'record') return Object.entries(s.fields).every(([f, fs]) => walk(fs, [...path, f]));
    return false;
  };
  return walk(schema, []) && arrays.length + refs.length > 0 ? { arrays, refs } : undefined;
}

/** The column form's fields in the packing, or undefined when a column's element is not a single leaf (a record, say). */
function packedColumns<S>(cols: Columns, ty: IntType, layout: Layout<S>): PackedColumns | undefined {
  const n = ty.max - ty.min + 1;
  const name = (path: readonly string[]) => path.join('.');
  const arrays: LeafField[][] = [];
  for (const a of cols.arrays) {
    const fs: LeafField[] = [];
    for (let u = 0; u < n; u++) {
      const f = layout.leaves.get(`${name(a.path)}[${u}]`);
      if (f === undefined) return undefined;
      fs.push(f);
    }
    arrays.push(fs);
  }
  const refs: LeafField[] = [];
  for (const r of cols.refs) {
    const f = layout.leaves.get(name(r));
    if (f === undefined) return undefined;
    refs.push(f);
  }
  const bits = arrays.reduce((a, fs) => a + fs[0].width, 0) + refs.length;
  return { arrays, refs, oneKey: bits <= 31 };
}

/**
 * `packedColumns` for a column form whose column fits one number (`oneKey`), generated as
 * straight-line code for the layout: each field read and written at its word and shift,
 * the sort over at most eight values in small typed arrays. What it computes is the
 * generic loop's, step for step (test/checker/symmetry-index.test.ts compares them).
 */
function compileOneKey(pc: PackedColumns, ty: IntType, words: number): (w: Uint32Array, o: number) => Uint32Array {
  const n = ty.max - ty.min + 1;
  const R = pc.refs.length;
  const read = (f: LeafField): string => (f.width === 0 ? '0' : f.width === 32 ? `t[${f.word}]` : `((t[${f.word}] >>> ${f.shift}) & ${(1 << f.width) - 1})`);
  const write = (f: LeafField, code: string): string => {
    if (f.width === 0) return '';
    const mask = f.width === 32 ? 0xffffffff : (((1 << f.width) - 1) << f.shift) >>> 0;
    return `t[${f.word}] = ((t[${f.word}] & ${~mask >>> 0}) | ((${code}) << ${f.shift})) >>> 0;`;
  };
  const body: string[] = [];
  for (let i = 0; i < words; i++) body.push(`t[${i}] = w[o + ${i}];`);
  for (let u = 0; u < n; u++) {
    let k = '0';
    for (const col of pc.arrays) k = `((${k} << ${col[u].width}) | ${read(col[u])})`;
    body.push(`key[${u}] = ${k} << ${R};`);
  }
  pc.refs.forEach((f, r) => {
    body.push(`{ const v = ${read(f)} + ${f.min}; if (v >= ${ty.min} && v <= ${ty.max}) key[v - ${ty.min}] |= ${1 << (R - 1 - r)}; }`);
  });
  body.push(`let moved = false;`);
  body.push(`for (let k = 0; k < ${n}; k++) { let j = k; const kk = key[k]; while (j > 0 && key[order[j - 1]] > kk) { order[j] = order[j - 1]; j--; } order[j] = k; if (j !== k) moved = true; }`);
  body.push('if (!moved) return t;');
  body.push(`for (let k = 0; k < ${n}; k++) to[order[k]] = k;`);
  for (const col of pc.arrays) {
    body.push(col.map((f, u) => `codes[${u}] = ${read(f)};`).join(' '));
    body.push(col.map((f, k) => write(f, `codes[order[${k}]]`)).join(' '));
  }
  for (const f of pc.refs) body.push(`{ const v = ${read(f)} + ${f.min}; if (v >= ${ty.min} && v <= ${ty.max}) { ${write(f, `${ty.min} + to[v - ${ty.min}] - ${f.min}`)} } }`);
  body.push('return t;');
  const make = new Function('t', 'key', 'order', 'to', 'codes', `return function canonicalPacked(w, o) {\n${body.join('\n')}\n};`);
  return make(new Uint32Array(words), new Int32Array(n), new Int32Array(n), new Int32Array(n), new Int32Array(n)) as (w: Uint32Array, o: number) => Uint32Array;
}

function readField(w: Uint32Array, f: LeafField): number {
  return f.width === 0 ? 0 : f.width === 32 ? w[f.word] : (w[f.word] >>> f.shift) & ((1 << f.width) - 1);
}

function writeField(w: Uint32Array, f: LeafField, code: number): void {
  if (f.width === 0) return;
  const mask = f.width === 32 ? 0xffffffff : ((1 << f.width) - 1) << f.shift;
  w[f.word] = ((w[f.word] & ~mask) | (code << f.shift)) >>> 0;
}

/** Whether value x's column comes before value y's (lexicographically, then by value). */
function columnBefore(keys: Int32Array, width: number, x: number, y: number): boolean {
  for (let i = 0; i < width; i++) {
    const d = keys[x * width + i] - keys[y * width + i];
    if (d !== 0) return d < 0;
  }
  return x < y;
}
