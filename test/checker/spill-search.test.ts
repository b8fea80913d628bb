// A search whose stores spill to disk (CheckOptions.spill) gives what the in-memory search
// gives: the same status, counts, depth and counterexample, at one and two workers, whether
// it spills at every level ('always') or because a tiny budget forces it ('auto'). A full
// disk stops it as incomplete, naming the file; its temporary directory is gone at the end.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, instantiate, type CheckOptions, type CheckResult, type Spec } from '../../checker/index.js';
import { spillIO } from '../../checker/store/spill.js';
import { exitCodeFor, EXIT } from '../../checker/cli/exit.js';
import vfio from '../../bench/models/vfio.spec.js';
import counters from '../../bench/models/counters.spec.js';
import grid from '../bench/fixtures/grid.spec.js';

const modules = {
  vfio: fileURLToPath(new URL('../../bench/models/vfio.spec.ts', import.meta.url)),
  counters: fileURLToPath(new URL('../../bench/models/counters.spec.ts', import.meta.url)),
  grid: fileURLToPath(new URL('../bench/fixtures/grid.spec.ts', import.meta.url)),
};
const specs = { vfio, counters, grid } as unknown as Record<keyof typeof modules, Spec>;

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'spill-search-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Everything but timings, memory and the engine's own frames in an error's stack. */
function observable(r: CheckResult) {
  const out = { ...r, stats: { ...r.stats, seconds: 0, storeBytes: 0 } };
  if (out.status === 'error') out.error = { ...out.error, stack: out.error.stack?.split('\n')[0] };
  return out;
}

// Small levels go to the workers too, in chunks of a few parents.
const parallel = { minLevel: 1, chunk: 37, waitForWorkers: true };

function run(name: keyof typeof modules, constants: Record<string, number | boolean>, workers: number, opts: CheckOptions = {}): CheckResult {
  return check(instantiate(specs[name], constants), { ...opts, workers, module: modules[name], parallel, spillDir: base });
}

const cases: [string, keyof typeof modules, Record<string, number | boolean>, CheckOptions][] = [
  ['counters K=4 M=9 (one-word exact keys)', 'counters', { K: 4, M: 9 }, {}],
  ['vfio N=4 V=1 BUG=1 (a shortest counterexample)', 'vfio', { N: 4, V: 1, BUG: 1 }, {}],
  ['counters K=4 M=9 DEEP=30 (a counterexample 30 steps deep)', 'counters', { K: 4, M: 9, DEEP: 30 }, {}],
  ['grid: hashed fingerprints, a view, a constraint and an action property', 'grid', {}, {}],
  ['grid stopped by max-states', 'grid', { LIMIT: 60 }, { maxStates: 3000 }],
  ['grid stopped by max-depth', 'grid', { LIMIT: 60 }, { maxDepth: 9 }],
  ['grid with an invariant violation', 'grid', { TARGET: 17 }, {}],
  ['grid with an invariant violation found when new states are placed', 'grid', { TARGET: 21, LIMIT: 40 }, {}],
  ['grid with a deadlock', 'grid', { STOPAT: 13 }, {}],
  ['grid with an invariant that throws', 'grid', { INVTHROW: 15 }, {}],
];

describe('a search spilled to disk', () => {
  for (const [title, name, constants, opts] of cases) {
    it(`gives the in-memory result: ${title}`, () => {
      const want = observable(run(name, constants, 1, { ...opts, spill: 'never' }));
      for (const workers of [1, 2]) {
        const got = observable(run(name, constants, workers, { ...opts, spill: 'always' }));
        expect(got, `always, ${workers} worker(s)`).toEqual(want);
      }
      expect(readdirSync(base)).toEqual([]);
    });
  }

  it('spills because the memory budget is reached, and counts exactly (one and two workers)', () => {
    // counters K=6 M=9: 10^6 states need an 8 MB table and 5 MB of parent pointers; 6 MB forces both to disk.
    const want = observable(run('counters', { K: 6, M: 9 }, 1, { spill: 'never' }));
    expect(want.status).toBe('ok');
    expect(want.stats.distinct).toBe(1_000_000);
    const stopped = run('counters', { K: 6, M: 9 }, 1, { spill: 'never', memory: 6_000_000 });
    expect(stopped.status === 'incomplete' && stopped.reason).toBe('memory');
    for (const workers of [1, 2]) {
      const got = observable(run('counters', { K: 6, M: 9 }, workers, { memory: 6_000_000 }));
      expect(got, `${workers} worker(s)`).toEqual(want);
    }
    expect(readdirSync(base)).toEqual([]);
  });

  it('finds the same shortest counterexample, DEEP steps long, when the budget forces a spill', () => {
    const want = run('counters', { K: 6, M: 9, DEEP: 40 }, 1, { spill: 'never' });
    expect(want.status === 'violation' && want.violation.trace.length).toBe(41);
    for (const workers of [1, 2]) {
      const got = run('counters', { K: 6, M: 9, DEEP: 40 }, workers, { memory: 6_000_000 });
      expect(observable(got), `${workers} worker(s)`).toEqual(observable(want));
    }
  });

  it('gives up the table for a level wider than the room left beside it, and still counts exactly', () => {
    // With 3 MB the table may take 2.7 MB (SEEN_SHARE); the widest levels of K=6 M=9
    // (55,252 states, sum 27) need more than the rest for their frontiers. The search merges
    // the table to disk and frees it instead of stopping (it stopped as 'memory' before).
    const want = observable(run('counters', { K: 6, M: 9 }, 1, { spill: 'never' }));
    const bug = observable(run('counters', { K: 6, M: 9, DEEP: 40 }, 1, { spill: 'never' }));
    for (const workers of [1, 2]) {
      expect(observable(run('counters', { K: 6, M: 9 }, workers, { memory: 3_000_000 })), `${workers} worker(s)`).toEqual(want);
      expect(observable(run('counters', { K: 6, M: 9, DEEP: 40 }, workers, { memory: 3_000_000 })), `DEEP=40, ${workers} worker(s)`).toEqual(bug);
    }
    // Below what two frontier levels and a level's parent pointers need, it stops, saying so.
    const short = run('counters', { K: 6, M: 9 }, 1, { memory: 1_500_000 });
    expect(short.status === 'incomplete' && short.reason).toBe('memory');
    expect(readdirSync(base)).toEqual([]);
  });

  it('finds the same shortest counterexample when the budget forces a spill', () => {
    const want = run('vfio', { N: 6, V: 1, BUG: 1 }, 1, { spill: 'never' });
    expect(want.status).toBe('violation');
    for (const workers of [1, 2]) {
      const got = run('vfio', { N: 6, V: 1, BUG: 1 }, workers, { memory: 6_000_000 });
      expect(observable(got), `${workers} worker(s)`).toEqual(observable(want));
    }
  });

  it('stops as incomplete, naming the file, when the disk is full (exit 14), and removes its directory', () => {
    const real = spillIO.writeSync;
    spillIO.writeSync = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    try {
      for (const workers of [1, 2]) {
        const r = run('counters', { K: 4, M: 9 }, workers, { spill: 'always' });
        expect(r.status).toBe('incomplete');
        if (r.status !== 'incomplete') continue;
        expect(r.reason).toBe('disk-full');
        expect(r.detail).toMatch(new RegExp(`ENOSPC.*writing ${base}/migcheck-\\w+/(fingerprints|parents)`));
        expect(exitCodeFor(r)).toBe(EXIT.INCOMPLETE);
        expect(readdirSync(base)).toEqual([]);
      }
    } finally {
      spillIO.writeSync = real;
    }
  });

  it('keeps everything in memory with spill never (no directory made)', () => {
    const r = run('counters', { K: 3, M: 9 }, 1, { spill: 'never' });
    expect(r.status).toBe('ok');
    expect(readdirSync(base)).toEqual([]);
  });
});
