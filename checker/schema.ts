// Finite-domain state schemas.
//
// A spec declares the shape of its state with these constructors. From the schema the
// engine derives everything that depends on the shape: the TypeScript type of a state
// (`Infer<typeof schema>`), the TypeOK check, packing into 32-bit words, the diff shown
// in traces, and the typing used by ITF output. Values are plain JS data: strings for
// enum members, numbers, booleans, objects for records, arrays for arrays/tuples and for
// sets (a set is an array of members; order and duplicates are not significant, and
// states read back from the store list members in domain order).

export type Schema<T = unknown> =
  | EnumType<T & string>
  | IntType
  | BoolType
  | RecordType<Record<string, Schema>>
  | ArrayType<Schema>
  | TupleType<readonly Schema[]>
  | SetType<Schema>;

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
}
export interface TupleType<E extends readonly Schema[]> extends Base<{ -readonly [K in keyof E]: Infer<E[K]> }> {
  readonly kind: 'tuple';
  readonly elements: E;
}
export interface SetType<E extends Schema> extends Base<Infer<E>[]> {
  readonly kind: 'set';
  readonly element: E;
}

/** The TypeScript type of the values a schema describes. */
export type Infer<S> = S extends Base<infer T> ? T : never;

const MAX_INT_SPAN = 2 ** 31;

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
  int(min: number, max: number): IntType {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
      throw new SchemaError(`t.int(${min}, ${max}) needs integers with min <= max`);
    if (max - min + 1 > MAX_INT_SPAN) throw new SchemaError(`t.int(${min}, ${max}) spans more than 2^31 values`);
    return { kind: 'int', min, max };
  },
  bool(): BoolType {
    return { kind: 'bool' };
  },
  record<const F extends Record<string, Schema>>(fields: F): RecordType<F> {
    for (const k of Object.keys(fields)) if (!isSchema(fields[k])) throw new SchemaError(`record field '${k}' is not a schema`);
    return { kind: 'record', fields };
  },
  /** A fixed-length array (a TLA+ function over 0..length-1). */
  array<E extends Schema>(element: E, length: number): ArrayType<E> {
    if (!Number.isInteger(length) || length < 0) throw new SchemaError(`t.array(…, ${length}) needs a length >= 0`);
    if (!isSchema(element)) throw new SchemaError('t.array() element is not a schema');
    return { kind: 'array', element, length };
  },
  tuple<const E extends readonly Schema[]>(...elements: E): TupleType<E> {
    return { kind: 'tuple', elements };
  },
  /** A subset of a finite domain (an enum or an int range). */
  set<E extends EnumType<string> | IntType>(element: E): SetType<E> {
    if (element.kind !== 'enum' && element.kind !== 'int') throw new SchemaError('t.set() takes an enum or int domain');
    return { kind: 'set', element };
  },
};

export class SchemaError extends Error {
  override name = 'SchemaError';
}

export function isSchema(x: unknown): x is Schema {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string' &&
    ['enum', 'int', 'bool', 'record', 'array', 'tuple', 'set'].includes((x as { kind: string }).kind);
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
    case 'set': return 2 ** cardinality(s.element);
  }
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
    case 'set': {
      if (!Array.isArray(v)) return `${at}: ${show(v)} is not a set (array of members)`;
      for (let i = 0; i < v.length; i++) {
        const e = validate(s.element, v[i], `${path}{${i}}`);
        if (e) return e;
      }
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
    case 'set':
      out.push({ path, value: canonicalSet(s, v) });
      return out;
    default:
      out.push({ path, value: v });
      return out;
  }
}

/** A set's members in domain order without duplicates. */
export function canonicalSet(s: SetType<Schema>, v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  const dom = domainValues(s.element as EnumType<string> | IntType);
  return dom.filter((d) => v.includes(d));
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
    case 'set':
      return canonicalSet(s, v) as T;
    default:
      return v;
  }
}
