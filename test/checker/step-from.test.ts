// Step.from (checker/spec.ts): the search numbers each state it expands, so that a property
// may keep what it worked out of the state before. The promise checked here: two steps with
// the same `from` and the same `before` object start from the same state, under both
// engines and with workers; and the search gives each expanded state its own number.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check, instantiate } from '../../checker/index.js';
import spec, { seenFrom } from './fixtures/step-from.spec.js';

const module = fileURLToPath(new URL('./fixtures/step-from.spec.ts', import.meta.url));

describe('Step.from', () => {
  for (const opts of [{}, { engine: 'immer' as const }]) {
    it(`names one state before per number (${opts.engine ?? 'fast'} engine)`, () => {
      seenFrom.clear();
      const r = check(instantiate(spec), opts);
      expect(r.status).toBe('ok');
      expect(r.stats.distinct).toBe(16);
      // Every state has a successor, so each was given a number: 16 numbers, 16 states.
      expect(seenFrom.size).toBe(16);
      expect(new Set(seenFrom.values()).size).toBe(16);
    });
  }

  it('keeps its promise in the workers (every level expanded there)', () => {
    const r = check(instantiate(spec), { workers: 2, module, parallel: { minLevel: 1, chunk: 3, waitForWorkers: true } });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(16);
  });

  it('is absent where the engine promises nothing (a property called on its own)', () => {
    const inst = instantiate(spec);
    const p = inst.properties.find((x) => x.name === 'FromNamesOneState')!;
    seenFrom.clear();
    expect(p.check({ x: 0, y: 0 }, { x: 1, y: 0 }, { action: 'IncX', param: undefined })).toBe(true);
    expect(seenFrom.size).toBe(0);
  });
});
