import { describe, expect, expectTypeOf, it } from 'vitest';
import { canonical, cardinality, domainValues, leaves, SchemaError, t, validate, type Infer } from '../../checker/index.js';

const Session = t.record({
  phase: t.enum('RUNNING', 'STOP', 'STOP_COPY'),
  units: t.array(t.int(0, 3), 2),
  pair: t.tuple(t.bool(), t.int(-2, 2)),
  dirty: t.set(t.enum('a', 'b', 'c')),
  inner: t.record({ fd: t.int(-1, 4), open: t.bool() }),
});
type Session = Infer<typeof Session>;

const good: Session = { phase: 'STOP', units: [0, 3], pair: [true, -2], dirty: ['c', 'a'], inner: { fd: -1, open: false } };

describe('schema types', () => {
  it('infers the state type from the schema', () => {
    expectTypeOf<Session>().toEqualTypeOf<{
      phase: 'RUNNING' | 'STOP' | 'STOP_COPY';
      units: number[];
      pair: [boolean, number];
      dirty: ('a' | 'b' | 'c')[];
      inner: { fd: number; open: boolean };
    }>();
  });

  it('infers each constructor on its own', () => {
    expectTypeOf<Infer<ReturnType<typeof t.bool>>>().toEqualTypeOf<boolean>();
    expectTypeOf<Infer<ReturnType<typeof t.int>>>().toEqualTypeOf<number>();
    const e = t.enum(['x', 'y']);
    expectTypeOf<Infer<typeof e>>().toEqualTypeOf<'x' | 'y'>();
    const s = t.set(t.int(0, 5));
    expectTypeOf<Infer<typeof s>>().toEqualTypeOf<number[]>();
  });

  it('rejects values of the wrong type at compile time', () => {
    // @ts-expect-error 'PAUSED' is not a member of the enum
    const bad: Session['phase'] = 'PAUSED';
    void bad;
  });
});

describe('schema constructors', () => {
  it('refuses empty or repeated enums, reversed ranges and non-finite set domains', () => {
    expect(() => t.enum()).toThrow(SchemaError);
    expect(() => t.enum('a', 'a')).toThrow(/repeats/);
    expect(() => t.int(3, 1)).toThrow(/min <= max/);
    expect(() => t.int(0, 1.5)).toThrow(SchemaError);
    expect(() => t.int(0, 2 ** 31)).toThrow(/2\^31/);
    expect(() => t.array(t.bool(), -1)).toThrow(SchemaError);
    // Sets of any finite type are allowed since issue 13; what is still refused is a non-schema element.
    expect(() => t.set(3 as never)).toThrow(/t.set\(\) element is not a schema/);
    expect(() => t.record({ x: 3 as never })).toThrow(/'x' is not a schema/);
  });

  it('counts the values of a schema', () => {
    expect(cardinality(t.enum('a', 'b', 'c'))).toBe(3);
    expect(cardinality(t.int(-2, 2))).toBe(5);
    expect(cardinality(t.set(t.enum('a', 'b', 'c')))).toBe(8);
    expect(cardinality(Session)).toBe(3 * 16 * 2 * 5 * 8 * 6 * 2);
    expect(domainValues(t.int(-1, 1))).toEqual([-1, 0, 1]);
  });
});

describe('validate', () => {
  it('accepts a value inside every domain', () => {
    expect(validate(Session, good)).toBeNull();
  });

  it.each([
    ['an enum member that does not exist', { ...good, phase: 'PAUSED' }, 'phase: "PAUSED" is not one of RUNNING | STOP | STOP_COPY'],
    ['an int above its range', { ...good, units: [0, 4] }, 'units[1]: 4 is not in 0..3'],
    ['an int below a negative range', { ...good, pair: [true, -3] }, 'pair[1]: -3 is not in -2..2'],
    ['a fraction', { ...good, units: [0.5, 1] }, 'units[0]: 0.5 is not in 0..3'],
    ['a number where a boolean belongs', { ...good, pair: [1, 0] }, 'pair[0]: 1 is not a boolean'],
    ['an array of the wrong length', { ...good, units: [0] }, 'units: length 1, expected 2'],
    ['a set member outside the domain', { ...good, dirty: ['a', 'z'] }, 'dirty{1}: "z" is not one of a | b | c'],
    ['a missing field', { ...good, inner: { fd: 0 } }, 'inner.open: missing'],
    ['an undeclared field', { ...good, extra: 1 }, 'extra: not a declared field'],
    ['undefined inside a record', { ...good, inner: { fd: undefined, open: true } }, 'inner.fd: undefined is not in -1..4'],
  ])('names the path and the value for %s', (_what, value, message) => {
    expect(validate(Session, value)).toBe(message);
  });

  it('reports a non-record at the top as "state"', () => {
    expect(validate(Session, 3)).toBe('state: 3 is not a record');
  });
});

describe('leaves', () => {
  it('flattens a state into paths in schema order, sets canonical', () => {
    expect(leaves(Session, good)).toEqual([
      { path: 'phase', value: 'STOP' },
      { path: 'units[0]', value: 0 },
      { path: 'units[1]', value: 3 },
      { path: 'pair[0]', value: true },
      { path: 'pair[1]', value: -2 },
      { path: 'dirty', value: ['a', 'c'] },
      { path: 'inner.fd', value: -1 },
      { path: 'inner.open', value: false },
    ]);
  });

  it('gives a scalar state one leaf with an empty path', () => {
    expect(leaves(t.int(0, 9), 7)).toEqual([{ path: '', value: 7 }]);
  });

  it('canonicalises sets: domain order, no duplicates', () => {
    expect(canonical(Session, { ...good, dirty: ['c', 'a', 'c'] }).dirty).toEqual(['a', 'c']);
  });
});
