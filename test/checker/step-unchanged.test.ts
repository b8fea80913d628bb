// Step.unchanged (checker/spec.ts, Successors.unchanged): TLA+'s UNCHANGED on the packed
// states. Checked against comparing the values, on every step of a small spec, under both
// engines and in the workers; an unknown path is an error that names it; and it is absent
// where the search is not judging (a property called by hand).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check, instantiate } from '../../checker/index.js';
import spec, { answers } from './fixtures/step-unchanged.spec.js';

const module = fileURLToPath(new URL('./fixtures/step-unchanged.spec.ts', import.meta.url));

describe('Step.unchanged', () => {
  for (const opts of [{}, { engine: 'immer' as const }]) {
    it(`answers as comparing the values would, for records, arrays, elements, sets and constants (${opts.engine ?? 'fast'} engine)`, () => {
      answers.clear();
      const r = check(instantiate(spec), opts);
      expect(r.status, JSON.stringify(r.status === 'violation' ? r.violation : r.status === 'error' ? r.error : '')).toBe('ok');
      expect(r.stats.distinct).toBe(3 * 4 * 2 * 4);
      // Each path was both changed and left alone by some step, except the constant.
      for (const p of ['a', 'a.n', 'a.units', 'a.units[1]', 'b', 'tags']) expect([...answers.get(p)!].sort(), p).toEqual([false, true]);
      expect([...answers.get('k')!]).toEqual([true]);
    });
  }

  it('answers the same in the workers', () => {
    const r = check(instantiate(spec), { workers: 2, module, parallel: { minLevel: 1, chunk: 3, waitForWorkers: true } });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(96);
  });

  it('names a path that is no part of the state, with a did-you-mean', () => {
    const r = check(instantiate(spec, { PATH: 'a.unit' }));
    expect(r.status).toBe('error');
    const text = JSON.stringify(r.status === 'error' ? r.error : r);
    expect(text).toMatch(/step\.unchanged\('a\.unit'\): the state has no field a\.unit; did you mean 'a\.units'\?/);
    expect(text).toMatch(/UnchangedIsEquality/);
  });

  it('is absent outside the search (a property called by hand)', () => {
    const inst = instantiate(spec);
    const p = inst.properties.find((x) => x.name === 'UnchangedIsEquality')!;
    answers.clear();
    const s = { a: { n: 0, units: [0, 0] }, b: false, tags: [], k: 5 };
    expect(p.check(s, s, { action: 'Nothing', param: undefined })).toBe(true);
    expect(answers.size).toBe(0);
  });
});
