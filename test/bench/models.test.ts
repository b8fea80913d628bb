import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import vfio from '../../bench/models/vfio.spec.js';
import counters from '../../bench/models/counters.spec.js';
import { check, instantiate, type Spec } from '../../checker/index.js';
import { vfioCounts, countersCounts, vfioBugTraceStates } from '../../bench/closed-forms.js';

describe('the vfio twin model', () => {
  for (const [N, V] of [[1, 1], [2, 1], [3, 1], [4, 1], [2, 2], [3, 2], [2, 3]]) {
    it(`has the closed-form distinct and transition counts at N=${N} V=${V}`, () => {
      const r = check(instantiate(vfio, { N, V }));
      const want = vfioCounts(N, V);
      expect(r.status).toBe('ok');
      expect(r.stats.distinct).toBe(want.distinct);
      expect(r.stats.transitions).toBe(want.transitions);
      // SPIN's "transitions (= stored+matched)" counts the initial store too: our `generated`.
      expect(r.stats.generated).toBe(want.transitions + 1);
    });
  }

  it('agrees with the reference figures at N=4 V=1 (SPIN: 23,360 stored, 86,065 transitions)', () => {
    expect(vfioCounts(4, 1)).toEqual({ distinct: 23_360, transitions: 86_064 });
    expect(vfioCounts(6, 1)).toEqual({ distinct: 1_213_184, transitions: 5_739_200 });
    expect(vfioCounts(7, 1).distinct).toBe(8_398_336);
  });

  for (const N of [1, 2, 3, 4]) {
    it(`with BUG=1 at N=${N}, returns the shortest trace (${vfioBugTraceStates(N)} states) ending in a stop with a read in flight`, () => {
      const r = check(instantiate(vfio, { N, V: 1, BUG: 1 }));
      expect(r.status).toBe('violation');
      if (r.status !== 'violation') return;
      expect(r.violation.name).toBe('DstMatchesSrc');
      const tr = r.violation.trace;
      expect(tr).toHaveLength(vfioBugTraceStates(N));
      const last = tr.at(-1)!.state;
      expect(last.phase).toBe('STOP');
      expect(last.cur).not.toBe(N);
      expect(tr.at(-1)!.action).toBe('Finish');
    });
  }
});

describe('the counters twin model', () => {
  for (const [K, M] of [[1, 1], [1, 5], [2, 3], [3, 3], [4, 2], [3, 9]]) {
    it(`has (M+1)^K states and 2KM(M+1)^(K-1) transitions at K=${K} M=${M}`, () => {
      const r = check(instantiate(counters, { K, M }));
      const want = countersCounts(K, M);
      expect(r.status).toBe('ok');
      expect(r.stats.distinct).toBe(want.distinct);
      expect(r.stats.transitions).toBe(want.transitions);
      expect(r.stats.depth).toBe(K * M + 1);
    });
  }
});

describe('the twin specs', () => {
  it('meet their own expect blocks', () => {
    for (const spec of [vfio, counters] as unknown as Spec[]) {
      for (const e of spec.expect ?? []) {
        const r = check(instantiate(spec, e.constants));
        expect(r.status).toBe(e.status);
        if (e.distinct !== undefined) expect(r.stats.distinct).toBe(e.distinct);
        if (e.generated !== undefined) expect(r.stats.generated).toBe(e.generated);
        if (e.violation && r.status === 'violation') expect({ kind: r.violation.kind, name: r.violation.name }).toEqual(e.violation);
      }
    }
  });
});

describe('the memory budget', () => {
  it('stops a search that outgrows it as incomplete, with its statistics, never a crash', () => {
    const budget = 1 << 20;
    const r = check(instantiate(counters, { K: 6, M: 9 }), { memory: budget });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') return;
    expect(r.reason).toBe('memory');
    expect(r.stats.distinct).toBeGreaterThan(0);
    expect(r.stats.distinct).toBeLessThan(1_000_000);
    expect(r.stats.storeBytes).toBeLessThanOrEqual(budget);
  });

  it('stops a parallel search the same way', () => {
    const module = fileURLToPath(new URL('../../bench/models/counters.spec.ts', import.meta.url));
    // With the default spill ('auto') this search goes on with its stores on disk and
    // completes (test/checker/spill-search.test.ts); 'never' keeps the stop.
    const r = check(instantiate(counters, { K: 6, M: 9 }), { memory: 4 << 20, workers: 2, module, spill: 'never' });
    expect(r).toMatchObject({ status: 'incomplete', reason: 'memory' });
    expect(r.stats.storeBytes).toBeLessThanOrEqual(4 << 20);
  });

  it('lets a search that fits finish', () => {
    const r = check(instantiate(counters, { K: 4, M: 9 }), { memory: 1 << 20 });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(10_000);
  });
});
