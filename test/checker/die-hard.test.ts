import { describe, it, expect } from 'vitest';
import spec from '../../specs/examples/die-hard.spec.js';
import { check, instantiate } from '../../checker/index.js';

describe('DieHard', () => {
  it('finds the known six-step solution as the shortest counterexample', () => {
    const r = check(instantiate(spec));
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.trace.map((s) => s.label)).toEqual(['Init', 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall']);
    expect(r.violation.trace.at(-1)!.state).toEqual({ small: 3, big: 4 });
  });
});
