// Finite-domain state schemas.
//
// A spec declares the shape of its state with these constructors. From the schema the
// engine derives everything that depends on the shape: the TypeScript type of a state
// (`Infer<typeof schema>`), the TypeOK check, packing into 32-bit words, the diff shown
// in traces, and the typing used by ITF output. Values are plain JS data: strings for
// enum members, numbers, booleans, objects for records and for functions (keyed by the
// domain values), arrays for arrays, tuples and sequences, and for sets (a set is an array
// of members; order and duplicates are not significant, and states read back from the
// store list members in the element type's canonical order, see `codec`).

export type Schema<T = unknown> =
  | EnumType<T & string>
  | IntType
  | BoolType
  | RecordType<Record<string, Schema>>
  | ArrayType<Schema>
  | TupleType<readonly Schema[]>
  | SeqType<Schema>
  | SetType<Schema>
  | FnType<EnumType<string> | IntType, Schema>
  | VariantType<string, Record<string, Record<string, Schema>>>;

interface Base<T> {
  /** Phantom field carrying the value type; never set at run time. */
  readonly __type?: T;
}

export interface EnumType<T extends string = string> extends Base<T> {
  readonly kind: 'enum';
  readonly values: readonly T[];
}
export interface IntType extends Base<number> {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  /**
   * The values of this range inside `of`'s range are values of that int type (a symmetric
   * set, `t.int(-1, 2, { of: Unit })`): a permutation of `of` moves them; the others (a
   * sentinel such as -1 for "no unit") stay.
   */
  readonly of?: IntType;
}
export interface BoolType extends Base<boolean> {
  readonly kind: 'bool';
}
export interface RecordType<F extends Record<string, Schema>> extends Base<{ -readonly [K in keyof F]: Infer<F[K]> }> {
  readonly kind: 'record';
  readonly fields: F;
}
export interface ArrayType<E extends Schema> extends Base<Infer<E>[]> {
  readonly kind: 'array';
  readonly element: E;
  readonly length: number;
  /** The int type 0..length-1 whose values are the positions (`t.array(e, Unit)`); a permutation of it moves the elements. */
  readonly index?: IntType;
}
export interface TupleType<E extends readonly Schema[]> extends Base<{ -readonly [K in keyof E]: Infer<E[K]> }> {
  readonly kind: 'tuple';
  readonly elements: E;
}
export interface SeqType<E extends Schema> extends Base<Infer<E>[]> {
  readonly kind: 'seq';
  readonly element: E;
  readonly maxLen: number;
}
export interface SetType<E extends Schema> extends Base<Infer<E>[]> {
  readonly kind: 'set';
  readonly element: E;
}
export interface FnType<D extends EnumType<string> | IntType, R extends Schema> extends Base<{ [K in Infer<D> & PropertyKey]: Infer<R> }> {
  readonly kind: 'fn';
  readonly domain: D;
  readonly range: R;
}

/** Records told apart by a tag field, e.g. messages of several kinds (TLA+ `[type: {"1a"}, bal: B] \cup [type: {"1b"}, …]`). */
export interface VariantType<Tag extends string, C extends Record<string, Record<string, Schema>>> extends Base<VariantValue<Tag, C>> {
  readonly kind: 'variant';
  readonly tag: Tag;
  readonly cases: C;
}
type VariantValue<Tag extends string, C extends Record<string, Record<string, Schema>>> = string extends Tag
  ? Record<string, unknown> // the general VariantType in the Schema union
  : { [K in keyof C & string]: { -readonly [F in Tag | keyof C[K]]: F extends Tag ? K : Infer<C[K][F & keyof C[K]]> } }[keyof C & string];

/** The TypeScript type of the values a schema describes. */
export type Infer<S> = S extends Base<infer T> ? T : never;

const MAX_INT_SPAN = 2 ** 31;
/**
 * A set is packed as one bit per possible member, so its element type may have at most
 * this many values (about 2,100 words of state); a larger element domain is almost always a
 * modelling slip (a set of unbounded-looking sequences or records of wide ints).
 */
export const MAX_SET_DOMAIN = 2 ** 16;

function enumOf<const T extends string>(...values: T[]): EnumType<T>;
function enumOf<const T extends string>(values: readonly T[]): EnumType<T>;
function enumOf(...args: unknown[]): EnumType<string> {
  const values = (Array.isArray(args[0]) ? args[0] : args) as string[];
  if (values.length === 0) throw new SchemaError('t.enum() needs at least one value');
  if (new Set(values).size !== values.length) throw new SchemaError(`t.enum(${values.join(', ')}) repeats a value`);
  for (const v of values) if (typeof v !== 'string') throw new SchemaError(`t.enum() takes strings, got ${String(v)}`);
  return { kind: 'enum', values: [...values] };
}

/** Constructors for state schemas. */
export const t = {
  /** One of a fixed list of string literals. */
  enum: enumOf,
  /** An integer in min..max inclusive. */
  int(min: number, max: number, opts?: { readonly of?: IntType }): IntType {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
      throw new SchemaError(`t.int(${min}, ${max}) needs integers with min <= max`);
    if (max - min + 1 > MAX_INT_SPAN) throw new SchemaError(`t.int(${min}, ${max}) spans more than 2^31 values`);
    if (opts === undefined) return { kind: 'int', min, max };
    for (const k of Object.keys(opts)) if (k !== 'of') throw new SchemaError(`t.int(${min}, ${max}, { ${k} }): unknown option '${k}'; the one option is 'of'`);
    const of = opts.of;
    if (of === undefined) return { kind: 'int', min, max };
    if (!isSchema(of) || of.kind !== 'int' || of.of !== undefined) throw new SchemaError(`t.int(${min}, ${max}, { of }): 'of' must be a plain t.int() type`);
    if (of.min < min || of.max > max) throw new SchemaError(`t.int(${min}, ${max}, { of: t.int(${of.min}, ${of.max}) }): the range must contain the values of 'of'`);
    return { kind: 'int', min, max, of };
  },
  bool(): BoolType {
    return { kind: 'bool' };
  },
  record<const F extends Record<string, Schema>>(fields: F): RecordType<F> {
    for (const k of Object.keys(fields)) if (!isSchema(fields[k])) throw new SchemaError(`record field '${k}' is not a schema`);
    return { kind: 'record', fields };
  },
  /**
   * A fixed-length array (a TLA+ function over 0..length-1). The length may be given as an
   * int type `t.int(0, n - 1)` whose values are the positions (`t.array(e, Unit)`): a
   * `symmetry: [Unit]` then permutes the positions too, `(σa)[σ(i)] = σ(a[i])`.
   */
  array<E extends Schema>(element: E, length: number | IntType): ArrayType<E> {
    if (!isSchema(element)) throw new SchemaError('t.array() element is not a schema');
    if (typeof length === 'object' && length !== null) {
      if (!isSchema(length) || length.kind !== 'int' || length.min !== 0 || length.of !== undefined)
        throw new SchemaError('t.array(…, index): an index type must be a plain t.int(0, n - 1)');
      return { kind: 'array', element, length: length.max + 1, index: length };
    }
    if (!Number.isInteger(length) || length < 0) throw new SchemaError(`t.array(…, ${length}) needs a length >= 0`);
    return { kind: 'array', element, length };
  },
  tuple<const E extends readonly Schema[]>(...elements: E): TupleType<E> {
    return { kind: 'tuple', elements };
  },
  /**
   * A sequence (TLA+ `Seq(element)`) of at most `maxLen` elements: a plain array whose
   * length varies. Append is `push`, Head is `[0]`, Tail is `shift()` or `slice(1)`, Len
   * is `length`, SubSeq is `slice`. A state with a longer sequence is an evaluation error.
   */
  seq<E extends Schema>(element: E, maxLen: number): SeqType<E> {
    if (!isSchema(element)) throw new SchemaError('t.seq() element is not a schema');
    if (!Number.isInteger(maxLen) || maxLen < 0) throw new SchemaError(`t.seq(…, ${maxLen}) needs a maximum length >= 0`);
    return { kind: 'seq', element, maxLen };
  },
  /**
   * A subset of a finite element type (TLA+ `SUBSET element`): a plain array of members.
   * Any schema with at most MAX_SET_DOMAIN values may be the element type (enums, ints,
   * records, tuples, sequences, functions, sets).
   */
  set<E extends Schema>(element: E): SetType<E> {
    if (!isSchema(element)) throw new SchemaError('t.set() element is not a schema');
    const n = cardinality(element);
    if (n > MAX_SET_DOMAIN)
      throw new SchemaError(`t.set(): the element type has ${n > 1e15 ? n.toExponential(1) : n} possible values, more than ${MAX_SET_DOMAIN} (a set is packed as one bit per possible member); narrow the element's domains`);
    return { kind: 'set', element };
  },
  /**
   * A function from a finite domain (TLA+ `[domain -> range]`): a plain object with one
   * property per domain value (`s.pc[p]`, `d.pc[p] = 'cs'`). The domain is an enum or an
   * int range; a function of two arguments is a function of functions (`f[a][b]`).
   */
  fn<D extends EnumType<string> | IntType, R extends Schema>(domain: D, range: R): FnType<D, R> {
    if (!isSchema(domain) || (domain.kind !== 'enum' && domain.kind !== 'int'))
      throw new SchemaError('t.fn() domain must be a t.enum() or t.int() (nest t.fn() for several arguments)');
    if (!isSchema(range)) throw new SchemaError('t.fn() range is not a schema');
    return { kind: 'fn', domain, range };
  },
  /**
   * Records of several kinds told apart by the field `tag` (a tagged union): each case
   * names its own fields. `t.variant('type', { '1a': { bal: B }, '2a': { bal: B, val: V } })`
   * holds `{ type: '1a', bal: 0 }` and `{ type: '2a', bal: 1, val: 'v1' }`; narrowing on
   * `m.type` gives the case's fields. Packed as one code, so a set of variants costs one
   * bit per possible message, not per product of every field.
   */
  variant<const Tag extends string, const C extends Record<string, Record<string, Schema>>>(tag: Tag, cases: C): VariantType<Tag, C> {
    const names = Object.keys(cases);
    if (names.length === 0) throw new SchemaError(`t.variant('${tag}', …) needs at least one case`);
    for (const k of names) {
      if (tag in cases[k]) throw new SchemaError(`t.variant('${tag}', …): case '${k}' declares a field named like the tag`);
      for (const f of Object.keys(cases[k])) if (!isSchema(cases[k][f])) throw new SchemaError(`t.variant case '${k}' field '${f}' is not a schema`);
    }
    return { kind: 'variant', tag, cases };
  },
};

export class SchemaError extends Error {
  override name = 'SchemaError';
}

export function isSchema(x: unknown): x is Schema {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string' &&
    ['enum', 'int', 'bool', 'record', 'array', 'tuple', 'seq', 'set', 'fn', 'variant'].includes((x as { kind: string }).kind);
}

/** Members of a set's domain, in domain order. */
export function domainValues(s: EnumType<string> | IntType): (string | number)[] {
  if (s.kind === 'enum') return [...s.values];
  const out: number[] = [];
  for (let v = s.min; v <= s.max; v++) out.push(v);
  return out;
}

/** Number of distinct values of a schema (may be Infinity when it overflows a double). */
export function cardinality(s: Schema): number {
  switch (s.kind) {
    case 'enum': return s.values.length;
    case 'int': return s.max - s.min + 1;
    case 'bool': return 2;
    case 'record': return Object.values(s.fields).reduce((a, f) => a * cardinality(f), 1);
    case 'array': return cardinality(s.element) ** s.length;
    case 'tuple': return s.elements.reduce((a, e) => a * cardinality(e), 1);
    case 'seq': {
      const c = cardinality(s.element);
      let n = 0;
      for (let k = 0; k <= s.maxLen; k++) n += c ** k;
      return n;
    }
    case 'set': return 2 ** cardinality(s.element);
    case 'fn': return cardinality(s.range) ** cardinality(s.domain);
    case 'variant':
      return Object.values(s.cases).reduce((a, c) => a + Object.values(c).reduce((b, f) => b * cardinality(f), 1), 0);
  }
}

/** The property keys of a function's value, in domain order. */
export function fnKeys(s: FnType<EnumType<string> | IntType, Schema>): string[] {
  return domainValues(s.domain).map(String);
}

/**
 * Checks a value against a schema. Returns null when the value is in the domain, or a
 * description of the first problem with the path to it (`src[2]: 5 is not in 0..3`).
 */
export function validate(s: Schema, v: unknown, path = ''): string | null {
  const at = path === '' ? 'state' : path;
  switch (s.kind) {
    case 'enum':
      return typeof v === 'string' && s.values.includes(v) ? null : `${at}: ${show(v)} is not one of ${s.values.join(' | ')}`;
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= s.min && v <= s.max ? null
        : `${at}: ${show(v)} is not in ${s.min}..${s.max}`;
    case 'bool':
      return typeof v === 'boolean' ? null : `${at}: ${show(v)} is not a boolean`;
    case 'record': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at}: ${show(v)} is not a record`;
      for (const k of Object.keys(s.fields)) {
        if (!(k in v)) return `${join(path, k)}: missing`;
        const e = validate(s.fields[k], (v as Record<string, unknown>)[k], join(path, k));
        if (e) return e;
      }
      for (const k of Object.keys(v)) if (!(k in s.fields)) return `${join(path, k)}: not a declared field`;
      return null;
    }
    case 'array':
    case 'tuple': {
      const elems = s.kind === 'array' ? Array.from({ length: s.length }, () => s.element) : s.elements;
      if (!Array.isArray(v)) return `${at}: ${show(v)} is not an array`;
      if (v.length !== elems.length) return `${at}: length ${v.length}, expected ${elems.length}`;
      for (let i = 0; i < elems.length; i++) {
        const e = validate(elems[i], v[i], `${path}[${i}]`);
        if (e) return e;
      }
      return null;
    }
    case 'seq': {
      if (!Array.isArray(v)) return `${at}: ${show(v)} is not a sequence (array)`;
      if (v.length > s.maxLen) return `${at}: length ${v.length} is more than the maximum ${s.maxLen}`;
      for (let i = 0; i < v.length; i++) {
        const e = validate(s.element, v[i], `${path}[${i}]`);
        if (e) return e;
      }
      return null;
    }
    case 'set': {
      if (!Array.isArray(v)) return `${at}: ${show(v)} is not a set (array of members)`;
      for (let i = 0; i < v.length; i++) {
        const e = validate(s.element, v[i], `${path}{${i}}`);
        if (e) return e;
      }
      return null;
    }
    case 'fn': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at}: ${show(v)} is not a function (object keyed by its domain)`;
      const keys = fnKeys(s);
      for (const k of keys) {
        if (!(k in v)) return `${path}[${k}]: missing`;
        const e = validate(s.range, (v as Record<string, unknown>)[k], `${path}[${k}]`);
        if (e) return e;
      }
      for (const k of Object.keys(v)) if (!keys.includes(k)) return `${path}[${k}]: ${k} is not in the function's domain`;
      return null;
    }
    case 'variant': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at}: ${show(v)} is not a record`;
      const tag = (v as Record<string, unknown>)[s.tag];
      if (typeof tag !== 'string' || !Object.hasOwn(s.cases, tag))
        return `${join(path, s.tag)}: ${show(tag)} is not one of ${Object.keys(s.cases).join(' | ')}`;
      const fields = s.cases[tag];
      for (const k of Object.keys(fields)) {
        if (!(k in v)) return `${join(path, k)}: missing`;
        const e = validate(fields[k], (v as Record<string, unknown>)[k], join(path, k));
        if (e) return e;
      }
      for (const k of Object.keys(v)) if (k !== s.tag && !(k in fields)) return `${join(path, k)}: not a field of case ${tag}`;
      return null;
    }
  }
}

function join(path: string, k: string): string {
  return path === '' ? k : `${path}.${k}`;
}

export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** One leaf of a value: a path (`src[2]`, `session.fd`) and the value at it. */
export interface Leaf {
  path: string;
  value: unknown;
}

/** Flattens a value into its leaves, in schema order. Sets are leaves. */
export function leaves(s: Schema, v: unknown, path = '', out: Leaf[] = []): Leaf[] {
  switch (s.kind) {
    case 'record':
      for (const k of Object.keys(s.fields)) leaves(s.fields[k], (v as Record<string, unknown>)?.[k], join(path, k), out);
      return out;
    case 'array':
      for (let i = 0; i < s.length; i++) leaves(s.element, (v as unknown[])?.[i], `${path}[${i}]`, out);
      return out;
    case 'tuple':
      for (let i = 0; i < s.elements.length; i++) leaves(s.elements[i], (v as unknown[])?.[i], `${path}[${i}]`, out);
      return out;
    case 'fn':
      for (const k of fnKeys(s)) leaves(s.range, (v as Record<string, unknown>)?.[k], `${path}[${k}]`, out);
      return out;
    case 'set':
      out.push({ path, value: canonicalSet(s, v) });
      return out;
    case 'variant':
      out.push({ path, value: canonicalOrSelf(s, v) });
      return out;
    case 'seq':
      // A sequence is one leaf: its length changes, so element paths would come and go.
      out.push({ path, value: Array.isArray(v) ? v.map((e) => canonicalOrSelf(s.element, e)) : v });
      return out;
    default:
      out.push({ path, value: v });
      return out;
  }
}

function canonicalOrSelf(s: Schema, v: unknown): unknown {
  try {
    return canonical(s, v);
  } catch {
    return v;
  }
}

/**
 * A set's members in canonical order (by their codes, see `codec`) without duplicates.
 * Members outside the element type are kept, after the others, so that a TypeOK trace
 * shows them.
 */
export function canonicalSet(s: SetType<Schema>, v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  const c = codec(s.element);
  const codes = new Set<number>();
  const bad: unknown[] = [];
  for (const m of v) {
    const i = c.index(m);
    if (i < 0) bad.push(m);
    else codes.add(i);
  }
  return [...codes].sort((a, b) => a - b).map((i) => c.value(i)).concat(bad);
}

/** Returns a value equal to `v` with every set canonical (domain order, no duplicates). */
export function canonical<T>(s: Schema, v: T): T {
  switch (s.kind) {
    case 'record': {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(s.fields)) o[k] = canonical(s.fields[k], (v as Record<string, unknown>)[k]);
      return o as T;
    }
    case 'array':
      return (v as unknown[]).map((e) => canonical(s.element, e)) as T;
    case 'tuple':
      return (v as unknown[]).map((e, i) => canonical(s.elements[i], e)) as T;
    case 'seq':
      return (v as unknown[]).map((e) => canonical(s.element, e)) as T;
    case 'fn': {
      const o: Record<string, unknown> = {};
      for (const k of fnKeys(s)) o[k] = canonical(s.range, (v as Record<string, unknown>)[k]);
      return o as T;
    }
    case 'set':
      return canonicalSet(s, v) as T;
    case 'variant': {
      const tag = (v as Record<string, unknown>)[s.tag] as string;
      const fields = s.cases[tag];
      const o: Record<string, unknown> = { [s.tag]: tag };
      for (const k of Object.keys(fields)) o[k] = canonical(fields[k], (v as Record<string, unknown>)[k]);
      return o as T;
    }
    default:
      return v;
  }
}

/**
 * A numbering of a schema's values: `index(v)` is v's code in 0..card-1 (or -1 when v is
 * not a value of the schema) and `value(i)` builds a fresh value from its code. Codes
 * order values canonically: enums in declaration order, ints ascending, false before
 * true, records, tuples, arrays and functions lexicographically by component (first
 * declared component most significant), sequences shorter first and then
 * lexicographically, sets by their membership bitmask. Sets are packed and listed in
 * this order, so equal sets pack and fingerprint equal.
 */
export interface Codec {
  readonly card: number;
  index(v: unknown): number;
  value(i: number): unknown;
}

export function codec(s: Schema): Codec {
  switch (s.kind) {
    case 'enum': {
      const map = new Map<unknown, number>(s.values.map((v, i) => [v, i]));
      return { card: s.values.length, index: (v) => map.get(v) ?? -1, value: (i) => s.values[i] };
    }
    case 'int':
      return {
        card: s.max - s.min + 1,
        index: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= s.min && v <= s.max ? v - s.min : -1),
        value: (i) => s.min + i,
      };
    case 'bool':
      return { card: 2, index: (v) => (v === false ? 0 : v === true ? 1 : -1), value: (i) => i === 1 };
    case 'record':
    case 'fn': {
      const keys = s.kind === 'record' ? Object.keys(s.fields) : fnKeys(s);
      const parts = s.kind === 'record' ? keys.map((k) => codec(s.fields[k])) : keys.map(() => codec(s.range));
      const tuple = product(parts);
      return {
        card: tuple.card,
        index: (v) => {
          if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length !== keys.length) return -1;
          return tuple.index(keys.map((k) => (v as Record<string, unknown>)[k]));
        },
        value: (i) => {
          const xs = tuple.value(i);
          const o: Record<string, unknown> = {};
          keys.forEach((k, j) => (o[k] = xs[j]));
          return o;
        },
      };
    }
    case 'array':
    case 'tuple': {
      const parts = s.kind === 'array' ? Array.from({ length: s.length }, () => codec(s.element)) : s.elements.map(codec);
      const tuple = product(parts);
      return { card: tuple.card, index: (v) => (Array.isArray(v) && v.length === parts.length ? tuple.index(v) : -1), value: tuple.value };
    }
    case 'seq': {
      const e = codec(s.element);
      // offsets[k]: the code of the first sequence of length k.
      const offsets = [0];
      for (let k = 1; k <= s.maxLen + 1; k++) offsets.push(offsets[k - 1] + e.card ** (k - 1));
      const byLength = offsets.slice(0, -1).map((_, k) => product(Array.from({ length: k }, () => e)));
      return {
        card: offsets[s.maxLen + 1],
        index: (v) => {
          if (!Array.isArray(v) || v.length > s.maxLen) return -1;
          const i = byLength[v.length].index(v);
          return i < 0 ? -1 : offsets[v.length] + i;
        },
        value: (i) => {
          let k = 0;
          while (offsets[k + 1] <= i) k++;
          return byLength[k].value(i - offsets[k]);
        },
      };
    }
    case 'variant': {
      const names = Object.keys(s.cases);
      const cases = names.map((k) => {
        const keys = Object.keys(s.cases[k]);
        return { keys, tuple: product(keys.map((f) => codec(s.cases[k][f]))) };
      });
      const offsets = [0];
      for (const c of cases) offsets.push(offsets[offsets.length - 1] + c.tuple.card);
      const byName = new Map(names.map((k, i) => [k, i]));
      return {
        card: offsets[cases.length],
        index: (v) => {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return -1;
          const j = byName.get((v as Record<string, unknown>)[s.tag] as string);
          if (j === undefined) return -1;
          const c = cases[j];
          if (Object.keys(v).length !== c.keys.length + 1) return -1;
          const i = c.tuple.index(c.keys.map((k) => (v as Record<string, unknown>)[k]));
          return i < 0 ? -1 : offsets[j] + i;
        },
        value: (i) => {
          let j = 0;
          while (offsets[j + 1] <= i) j++;
          const xs = cases[j].tuple.value(i - offsets[j]);
          const o: Record<string, unknown> = { [s.tag]: names[j] };
          cases[j].keys.forEach((k, n) => (o[k] = xs[n]));
          return o;
        },
      };
    }
    case 'set': {
      const e = codec(s.element);
      return {
        card: 2 ** e.card,
        index: (v) => {
          if (!Array.isArray(v)) return -1;
          const seen = new Set<number>();
          for (const m of v) {
            const i = e.index(m);
            if (i < 0) return -1;
            seen.add(i);
          }
          let code = 0;
          for (const i of seen) code += 2 ** i;
          return code;
        },
        value: (code) => {
          const out: unknown[] = [];
          for (let i = 0; code > 0; i++, code = Math.floor(code / 2)) if (code % 2 === 1) out.push(e.value(i));
          return out;
        },
      };
    }
  }
}

/** Mixed-radix numbering of fixed-length tuples of the given parts (first part most significant). */
function product(parts: readonly Codec[]): { card: number; index(v: readonly unknown[]): number; value(i: number): unknown[] } {
  return {
    card: parts.reduce((a, p) => a * p.card, 1),
    index: (v) => {
      let code = 0;
      for (let j = 0; j < parts.length; j++) {
        const i = parts[j].index(v[j]);
        if (i < 0) return -1;
        code = code * parts[j].card + i;
      }
      return code;
    },
    value: (i) => {
      const out: unknown[] = new Array(parts.length);
      for (let j = parts.length - 1; j >= 0; j--) {
        out[j] = parts[j].value(i % parts[j].card);
        i = Math.floor(i / parts[j].card);
      }
      return out;
    },
  };
}

/**
 * Structural equality of two state values (records and functions by their properties,
 * arrays by position). Sets are compared as arrays: compare canonical values, or use
 * `has`, when member order may differ.
 */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** TLA+ `x \in set` for members of any type (records, tuples, sequences): structural membership. */
export function has<T>(set: readonly T[], x: T): boolean {
  for (const m of set) if (equal(m, x)) return true;
  return false;
}
