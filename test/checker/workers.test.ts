// The parallel search gives what the single-threaded search gives: the same status, counts,
// depth, queue and the same counterexample (state numbering and parent choice follow the
// sequential order), at any number of workers. The level size above which workers are used
// is lowered so that these small specs go through the workers on every level.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, instantiate, type CheckOptions, type CheckResult, type Spec } from '../../checker/index.js';
import type { ParallelReport } from '../../checker/explore/options.js';
import vfio from '../../bench/models/vfio.spec.js';
import counters from '../../bench/models/counters.spec.js';
import grid from '../bench/fixtures/grid.spec.js';
import brokenTable from '../../specs/vfio/fsm-broken-table.spec.js';
import tableBeside from './fixtures/table-beside.spec.js';
import workerExit from './fixtures/worker-exit.spec.js';
import { pinImportMeta } from '../../checker/explore/bundle.mjs';

const modules = {
  vfio: fileURLToPath(new URL('../../bench/models/vfio.spec.ts', import.meta.url)),
  counters: fileURLToPath(new URL('../../bench/models/counters.spec.ts', import.meta.url)),
  grid: fileURLToPath(new URL('../bench/fixtures/grid.spec.ts', import.meta.url)),
  brokenTable: fileURLToPath(new URL('../../specs/vfio/fsm-broken-table.spec.ts', import.meta.url)),
  tableBeside: fileURLToPath(new URL('./fixtures/table-beside.spec.ts', import.meta.url)),
};
const specs = { vfio, counters, grid, brokenTable, tableBeside } as unknown as Record<keyof typeof modules, Spec>;

/** Everything but timings, memory and the engine's own frames in an error's stack. */
function observable(r: CheckResult) {
  const out = { ...r, stats: { ...r.stats, seconds: 0, storeBytes: 0 } };
  if (out.status === 'error') out.error = { ...out.error, stack: out.error.stack?.split('\n')[0] };
  return out;
}

function run(name: keyof typeof modules, constants: Record<string, number | boolean>, workers: number, opts: CheckOptions = {}): CheckResult {
  return check(instantiate(specs[name], constants), { ...opts, workers, module: modules[name], parallel: parallel() });
}

// Every level goes to the workers, in chunks of a few parents, so that a stop can fall in
// any chunk of a level. The knobs go with each run (CheckOptions.parallel); `last` is how
// the last parallel run went.
const knobs = { minLevel: 1, chunk: 37, waitForWorkers: true };
let last: ParallelReport | undefined;
const parallel = () => ({ ...knobs, onReport: (r: ParallelReport) => { last = r; } });

const cases: [string, keyof typeof modules, Record<string, number | boolean>, CheckOptions][] = [
  ['vfio N=3 V=1 (ok)', 'vfio', { N: 3, V: 1 }, {}],
  ['vfio N=2 V=2 with the immer engine', 'vfio', { N: 2, V: 2 }, { engine: 'immer' }],
  ['counters K=3 M=6 (one-word exact keys)', 'counters', { K: 3, M: 6 }, {}],
  ['grid: hashed fingerprints, a view, a constraint and an action property', 'grid', {}, {}],
  ['grid stopped by max-states', 'grid', { LIMIT: 60 }, { maxStates: 3000 }],
  ['grid stopped by max-depth', 'grid', { LIMIT: 60 }, { maxDepth: 9 }],
  ['grid with an invariant violation', 'grid', { TARGET: 17 }, {}],
  ['grid with a deadlock', 'grid', { STOPAT: 13 }, {}],
  ['grid with an action that throws', 'grid', { THROWAT: 9 }, {}],
  ['grid with an invariant that throws', 'grid', { INVTHROW: 15 }, {}],
  ['grid with an invariant violation found when new states are placed', 'grid', { TARGET: 21, LIMIT: 40 }, {}],
  ['grid with a violated action property', 'grid', { SHRINK: true }, {}],
];

describe('workers: identical results at 1, 2 and 3 workers', () => {
  for (const [title, name, constants, opts] of cases) {
    it(`gives the same result for ${title}`, () => {
      const one = observable(run(name, constants, 1, opts));
      last = undefined;
      expect(observable(run(name, constants, 2, opts))).toEqual(one);
      expect(last!.chunksInParallel).toBeGreaterThan(0); // the workers did expand levels
      if (title.startsWith('grid:') || title.startsWith('vfio N=3') || title.includes('violation')) expect(observable(run(name, constants, 3, opts))).toEqual(one);
    });
  }

  it('returns the shortest trace of vfio BUG=1 (2N+4 states) when two workers race', () => {
    const one = run('vfio', { N: 3, V: 1, BUG: 1 }, 1);
    const two = run('vfio', { N: 3, V: 1, BUG: 1 }, 2);
    expect(one.status).toBe('violation');
    expect(observable(two)).toEqual(observable(one));
    if (two.status === 'violation') expect(two.violation.trace).toHaveLength(10);
  });

  it('gives the same result whatever the chunk size', () => {
    const one = observable(run('grid', { TARGET: 21, LIMIT: 40 }, 1));
    for (const chunk of [1, 2, 1000]) {
      knobs.chunk = chunk;
      expect(observable(run('grid', { TARGET: 21, LIMIT: 40 }, 2))).toEqual(one);
    }
    knobs.chunk = 37;
  });

  it('reaches the closed-form counts of vfio N=4 V=1 with two workers', () => {
    const r = run('vfio', { N: 4, V: 1 }, 2);
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(23_360);
    expect(r.stats.transitions).toBe(86_064);
  });
});

describe('workers: configuration', () => {
  it('needs the spec module', () => {
    expect(() => check(instantiate(specs.vfio, { N: 2 }), { workers: 2 })).toThrow(/module/);
  });

  it('rejects a worker count that is not a positive whole number', () => {
    expect(() => check(instantiate(specs.vfio, { N: 2 }), { workers: 0 })).toThrow(/workers/);
    expect(() => check(instantiate(specs.vfio, { N: 2 }), { workers: 1.5 })).toThrow(/workers/);
  });

  it('reports a worker whose thread ends during the search, instead of waiting for it', () => {
    const file = fileURLToPath(new URL('./fixtures/worker-exit.spec.ts', import.meta.url));
    const inst = instantiate(workerExit, { EXITAT: 30 });
    expect(check(inst, { workers: 1 }).status).toBe('ok'); // the main thread never ends
    expect(() => check(inst, { workers: 2, module: file, parallel: parallel() })).toThrow(/worker \d ended while the search needed it/);
  });

  it('reports a worker whose thread ends while it loads the spec', () => {
    const file = fileURLToPath(new URL('./fixtures/worker-exit.spec.ts', import.meta.url));
    process.env.MIGCHECK_TEST_EXITLOAD = '1';
    try {
      expect(() => check(instantiate(workerExit, {}), { workers: 2, module: file, parallel: parallel() })).toThrow(/worker \d ended/);
    } finally {
      delete process.env.MIGCHECK_TEST_EXITLOAD;
    }
  });

  it('reports a module that does not load in the workers', () => {
    expect(() => check(instantiate(specs.vfio, { N: 3 }), { workers: 2, module: modules.vfio.replace('vfio.spec', 'missing.spec'), parallel: parallel() })).toThrow(/could not load the spec/);
  });
});

// Workers load worker.ts and the spec either as one bundle written by the first worker (the
// default) or through the TypeScript loader (MIGCHECK_WORKER_LOADER=tsx, and the fallback
// when the bundle cannot be made). Both must give the sequential result.
describe('workers: how they load the spec', () => {
  it('gives the same result through the TypeScript loader as bundled', () => {
    const one = observable(run('vfio', { N: 3, V: 1, BUG: 1 }, 1));
    expect(observable(run('vfio', { N: 3, V: 1, BUG: 1 }, 2))).toEqual(one);
    expect(last!.loaders).toEqual(['bundle', 'bundle']);
    const saved = process.env.MIGCHECK_WORKER_LOADER;
    process.env.MIGCHECK_WORKER_LOADER = 'tsx';
    try {
      expect(observable(run('vfio', { N: 3, V: 1, BUG: 1 }, 2))).toEqual(one);
      expect(last!.loaders).toEqual(['tsx', 'tsx']);
    } finally {
      if (saved === undefined) delete process.env.MIGCHECK_WORKER_LOADER;
      else process.env.MIGCHECK_WORKER_LOADER = saved;
    }
  });

  it('keeps import.meta.url of the bundled files (a spec that reads a table beside it)', () => {
    const one = observable(run('tableBeside', {}, 1));
    expect(one.status).toBe('violation');
    expect(observable(run('tableBeside', {}, 2))).toEqual(one);
    expect(last!.loaders).toEqual(['bundle', 'bundle']);
  });

  it('bundles a migration-model spec that reads a table beside it, with the same result', () => {
    const one = observable(run('brokenTable', {}, 1));
    expect(one.status).toBe('violation');
    expect(observable(run('brokenTable', {}, 2))).toEqual(one);
    // The model's loader of constant files (model/commands/load.ts, which imports a computed
    // name) is imported on demand with a literal import(): the bundle leaves it out.
    expect(last!.loaders).toEqual(['bundle', 'bundle']);
  });

  /**
   * Runs `body` with a copy of the grid spec written outside the package as `name` (with
   * `extra` appended), importing the package as 'migcheck' as users' specs do.
   */
  async function withGridCopy(name: string, extra: string, body: (file: string, source: string, spec: Spec) => void): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-bundle-test-'));
    try {
      const file = join(dir, name);
      const source = readFileSync(modules.grid, 'utf8').replace("'../../../checker/index.js'", "'migcheck'") + extra;
      writeFileSync(file, source);
      const { default: spec } = (await import(pathToFileURL(file).href)) as { default: Spec };
      body(file, source, spec);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('reuses a cached bundle until a file that went into it changes', async () => {
    await withGridCopy('grid.spec.ts', '', (file, source, spec) => {
      const runFile = () => check(instantiate(spec, {}), { workers: 2, module: file, parallel: parallel() });
      const one = observable(check(instantiate(spec, {}), {}));
      expect(observable(runFile())).toEqual(one);
      expect([last!.bundle, last!.loaders]).toEqual(['made', ['bundle', 'bundle']]);
      expect(observable(runFile())).toEqual(one);
      expect([last!.bundle, last!.loaders]).toEqual(['cached', ['bundle', 'bundle']]);
      // An edit (a wider clock: three words a state) reaches the workers, which then build
      // another model than the coordinator's (the old module, still in memory) and say so.
      const wider = source.replace('tick: t.int(0, 7),', 'tick: t.int(0, 7000),');
      expect(wider).not.toBe(source);
      writeFileSync(file, wider);
      expect(() => runFile()).toThrow(/builds a different model/);
      expect(last!.bundle).toBe('made');
    });
  });

  it('leaves a spec that imports a computed name to the TypeScript loader', async () => {
    // In a bundle, import() of a run-time name would resolve from the bundle's directory.
    // (.mts: an ES module outside any package.)
    await withGridCopy('grid.spec.mts', '\nexport const later = (name: string) => import(name);\n', (file, _source, spec) => {
      const one = observable(check(instantiate(spec, {}), {}));
      expect(observable(check(instantiate(spec, {}), { workers: 2, module: file, parallel: parallel() }))).toEqual(one);
      expect(last!.loaders).toEqual(['tsx', 'tsx']);
    });
  });

  it('pins import.meta.url, filename and dirname to the file they are written in', () => {
    const src = "const a = import.meta.url; const b = import.meta.filename; const c = import.meta.dirname; const d = import.meta.urlish;";
    const out = pinImportMeta(src, '/x/y/z.spec.ts') as string;
    expect(out).toBe(`const a = ${JSON.stringify(pathToFileURL('/x/y/z.spec.ts').href)}; const b = "/x/y/z.spec.ts"; const c = "/x/y"; const d = import.meta.urlish;`);
  });
});
