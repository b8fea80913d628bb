// Stopping a search well (issue 14): a time limit or an aborted signal stops it as
// `incomplete` with the statistics so far; a checkpoint taken at the stop resumes to the
// counts and the trace of an uninterrupted run, at any worker count; a damaged or foreign
// checkpoint is refused; a spec that reads Math.random or Date.now is reported the same
// way on every run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, checkAsync } from '../../checker/explore/check.js';
import { instantiate, type CheckOptions, type CheckResult, type Spec } from '../../checker/index.js';
import { CheckpointKeeper } from '../../checker/explore/checkpoints.js';
import type { Search } from '../../checker/explore/search.js';
import { FILE } from '../../checker/store/checkpoint.js';
import { Successors } from '../../checker/explore/successors.js';
import { replay } from '../../checker/explore/trace.js';
import counters from '../../bench/models/counters.spec.js';
import grid from '../bench/fixtures/grid.spec.js';
import random from './fixtures/random.spec.js';

const modules = {
  counters: fileURLToPath(new URL('../../bench/models/counters.spec.ts', import.meta.url)),
  grid: fileURLToPath(new URL('../bench/fixtures/grid.spec.ts', import.meta.url)),
  random: fileURLToPath(new URL('./fixtures/random.spec.ts', import.meta.url)),
};
const specs = { counters, grid, random } as unknown as Record<keyof typeof modules, Spec>;

function run(name: keyof typeof modules, constants: Record<string, number | boolean | string>, opts: CheckOptions = {}): CheckResult {
  return check(instantiate(specs[name], constants), { parallel, ...opts, module: modules[name] });
}

/** What a resumed run must share with an uninterrupted one. */
function outcome(r: CheckResult) {
  const { generated, transitions, distinct, depth, queue } = r.stats;
  return { status: r.status, generated, transitions, distinct, depth, queue, violation: r.status === 'violation' ? r.violation : undefined, error: r.status === 'error' ? { ...r.error, stack: undefined } : undefined };
}

let dir: string;
// Small levels go to the workers too, in chunks of a few parents.
const parallel = { minLevel: 1, chunk: 37, waitForWorkers: true };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migcheck-stop-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A keeper that also aborts the run once the search has reached depth `depth`. */
class StopAtDepth extends CheckpointKeeper {
  constructor(private readonly ctl: AbortController, private readonly depth: number, dir: string, reason = 'SIGINT') {
    super({ dir, file: 'test', onError: (m) => { throw new Error(m); } });
    this.reason = reason;
  }
  private readonly reason: string;
  override level(search: Search<unknown>): void {
    super.level(search);
    if (search.frontier().depth >= this.depth && !this.ctl.signal.aborted) this.ctl.abort(this.reason);
  }
}

describe('stopping: time limit and signals', () => {
  it('stops at the time limit as incomplete, with the statistics so far', () => {
    const r = run('counters', { K: 7, M: 9 }, { timeLimit: 200 });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') return;
    expect(r.reason).toBe('time-limit');
    expect(r.stats.distinct).toBeGreaterThan(0);
    expect(r.stats.distinct).toBeLessThan(10_000_000);
    expect(r.stats.queue).toBeGreaterThan(0);
    expect(r.stats.generated).toBeGreaterThan(r.stats.distinct);
  });

  it('stops a simulation when its signal is aborted: incomplete, not no-violation-found', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort('SIGTERM'), 200);
    const r = await checkAsync(instantiate(specs.counters, { K: 7, M: 9 }), { simulate: { seconds: 60, depth: 1000 }, signal: ctl.signal, module: modules.counters });
    expect(r.status).toBe('incomplete');
    expect(r.status === 'incomplete' && r.reason).toBe('terminated');
    expect(r.simulation?.steps).toBeGreaterThan(0);
  });

  it('stops when its signal is aborted: SIGINT reads as interrupted, SIGTERM as terminated, at 1 and 2 workers', async () => {
    for (const workers of [1, 2])
      for (const [sig, reason] of [['SIGINT', 'interrupted'], ['SIGTERM', 'terminated']] as const) {
        const ctl = new AbortController();
        const r = await checkAsync(instantiate(specs.grid, { LIMIT: 60 }), { workers, parallel, module: modules.grid, signal: ctl.signal, keeper: new StopAtDepth(ctl, 6, join(dir, `sig-${workers}-${sig}`), sig) });
        expect(r.status).toBe('incomplete');
        if (r.status === 'incomplete') expect(r.reason).toBe(reason);
        expect(r.stats.depth).toBe(6);
      }
  });

  it('is stopped by an abort from a timer while it runs (the event loop gets to run)', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort('SIGINT'), 150);
    const r = await checkAsync(instantiate(specs.counters, { K: 7, M: 9 }), { signal: ctl.signal });
    expect(r.status).toBe('incomplete');
    if (r.status === 'incomplete') expect(r.reason).toBe('interrupted');
    expect(r.stats.distinct).toBeLessThan(10_000_000);
  });

  it('refuses a time limit that is not a positive number', () => {
    expect(() => run('grid', {}, { timeLimit: 0 })).toThrow(/timeLimit/);
  });
});

describe('stopping: checkpoint and resume', () => {
  const straight = new Map<string, ReturnType<typeof outcome>>();
  const baseline = (name: keyof typeof modules, c: Record<string, number | boolean>) => {
    const k = `${name} ${JSON.stringify(c)}`;
    if (!straight.has(k)) straight.set(k, outcome(run(name, c)));
    return straight.get(k)!;
  };

  for (const [title, name, constants, at] of [
    ['an invariant violation (same trace)', 'grid', { TARGET: 21, LIMIT: 40 }, 5],
    ['a deadlock', 'grid', { STOPAT: 13 }, 4],
    ['an ok run with a view and a constraint', 'grid', { LIMIT: 30 }, 7],
    ['one-word exact keys', 'counters', { K: 3, M: 6 }, 6],
  ] as const)
    it(`resumes ${title} to the uninterrupted result, stopped and resumed at 1 and 2 workers`, async () => {
      const want = baseline(name, constants);
      for (const stopWorkers of [1, 2])
        for (const resumeWorkers of [1, 2, 3]) {
          const ck = join(dir, `ck-${name}-${at}-${stopWorkers}-${resumeWorkers}`);
          const ctl = new AbortController();
          const first = await checkAsync(instantiate(specs[name], constants), { workers: stopWorkers, parallel, module: modules[name], signal: ctl.signal, keeper: new StopAtDepth(ctl, at, ck) });
          expect(first.status).toBe('incomplete');
          const again = run(name, constants, { workers: resumeWorkers, keeper: new CheckpointKeeper({ resume: ck, file: 'test', onError: (m) => { throw new Error(m); } }) });
          expect(outcome(again)).toEqual(want);
        }
    });

  it('resumes a stop in the middle of a level (time limit) to the uninterrupted counts', () => {
    const want = baseline('counters', { K: 6, M: 9 });
    for (const workers of [1, 2]) {
      const ck = join(dir, `mid-${workers}`);
      const first = run('counters', { K: 6, M: 9 }, { workers, timeLimit: 150, keeper: new CheckpointKeeper({ dir: ck, file: 'test', onError: (m) => { throw new Error(m); } }) });
      expect(first.status).toBe('incomplete');
      // Resume, stop again, resume again: each leg picks up where the last one stopped.
      const second = run('counters', { K: 6, M: 9 }, { workers: 3 - workers, timeLimit: 150, keeper: new CheckpointKeeper({ dir: ck, resume: ck, file: 'test', onError: (m) => { throw new Error(m); } }) });
      const last = second.status === 'incomplete' ? run('counters', { K: 6, M: 9 }, { keeper: new CheckpointKeeper({ resume: ck, file: 'test', onError: (m) => { throw new Error(m); } }) }) : second;
      expect(outcome(last)).toEqual(want);
    }
  });

  it('refuses a damaged checkpoint: truncated, bad magic, bad checksum', async () => {
    const ck = join(dir, 'damaged');
    const ctl = new AbortController();
    await checkAsync(instantiate(specs.grid, {}), { signal: ctl.signal, keeper: new StopAtDepth(ctl, 4, ck) });
    // Written by rename: no temporary file is left beside it.
    expect(readdirSync(ck)).toEqual([FILE]);
    const good = readFileSync(join(ck, FILE));
    const resume = () => run('grid', {}, { keeper: new CheckpointKeeper({ resume: ck, file: 'test', onError: () => {} }) });
    writeFileSync(join(ck, FILE), good.subarray(0, good.length - 100));
    expect(resume).toThrow(/checksum|truncated/);
    const magic = Buffer.from(good);
    magic.write('NOTACKPT', 0, 'latin1');
    writeFileSync(join(ck, FILE), magic);
    expect(resume).toThrow(/not a migcheck checkpoint \(bad magic\)/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 64] ^= 0xff;
    writeFileSync(join(ck, FILE), flipped);
    expect(resume).toThrow(/damaged or truncated \(checksum mismatch\)/);
    rmSync(join(ck, FILE));
    expect(resume).toThrow(/no checkpoint there/);
    writeFileSync(join(ck, FILE), good);
    expect(resume().status).toBe('ok');
  });

  it('refuses the checkpoint of another run, naming what differs', async () => {
    const ck = join(dir, 'foreign');
    const ctl = new AbortController();
    await checkAsync(instantiate(specs.grid, { LIMIT: 30 }), { signal: ctl.signal, keeper: new StopAtDepth(ctl, 4, ck) });
    const keeper = () => new CheckpointKeeper({ resume: ck, file: 'test', onError: () => {} });
    expect(() => run('grid', { LIMIT: 31 }, { keeper: keeper() })).toThrow(/constant LIMIT: checkpoint 30, now 31/);
    expect(() => run('grid', { LIMIT: 30 }, { keeper: keeper(), maxStates: 100 })).toThrow(/option maxStates: checkpoint null, now 100/);
    expect(() => run('grid', { LIMIT: 30 }, { keeper: keeper(), deadlock: false })).toThrow(/option deadlock: checkpoint true, now false/);
    expect(() => run('counters', { K: 3, M: 3 }, { keeper: keeper() })).toThrow(/spec: checkpoint "Grid", now "Counters"/);
    expect(run('grid', { LIMIT: 30 }, { keeper: keeper() }).status).toBe('ok');
  });
});

describe('nondeterministic specs (Math.random, Date.now)', () => {
  for (const [CALL, WHERE, phase, name] of [
    ['random', 'next', 'next', 'StepX'],
    ['now', 'next', 'next', 'StepX'],
    ['random', 'enabled', 'enabled', 'StepX'],
    ['now', 'invariant', 'invariant', 'Fine'],
  ] as const)
    it(`reports ${CALL === 'random' ? 'Math.random()' : 'Date.now()'} in ${WHERE} as the same evaluation error on every run, at 1 and 2 workers`, () => {
      const results = [1, 1, 2, 2, 3].map((workers) => run('random', { CALL, WHERE }, { workers }));
      const first = results[0];
      expect(first.status).toBe('error');
      if (first.status !== 'error') return;
      expect(first.error.message).toContain(CALL === 'random' ? 'Math.random()' : 'Date.now()');
      expect(first.error.phase).toBe(phase);
      expect(phase === 'invariant' ? first.error.name : first.error.action).toBe(name);
      // The trace leads to the state where the call happened (x = AT).
      expect((first.error.trace.at(-1)!.state as { x: number }).x).toBe(5);
      for (const r of results) expect(outcome(r)).toEqual(outcome(first));
    });

  it('names a step that does not replay as a step from the last state of the trace', () => {
    const inst = instantiate(specs.random, { WHERE: 'gate' });
    const succ = new Successors(inst);
    const x = inst.choices.findIndex((c) => inst.actions[c.action].name === 'StepX');
    const y = inst.choices.findIndex((c) => inst.actions[c.action].name === 'StepY');
    const g = globalThis as { migcheckTestGate?: boolean };
    g.migcheckTestGate = false;
    try {
      const r = replay(succ, [0, y, y, x]);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.states).toHaveLength(3);
      expect(r.message).toContain('the step StepX from state 2, the last of the trace, is not enabled on replay');
    } finally {
      delete g.migcheckTestGate;
    }
  });

  it("runs the caller's progress callback with the real Date.now and Math.random", () => {
    const seen: number[] = [];
    const r = run('counters', { K: 6, M: 9 }, { progressInterval: 0, onProgress: () => { seen.push(Date.now() + Math.random()); } });
    expect(r.status).toBe('ok');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('puts Math.random and Date.now back after the run', () => {
    const random = Math.random;
    const now = Date.now;
    run('random', {});
    expect(Math.random).toBe(random);
    expect(Date.now).toBe(now);
    expect(typeof Math.random()).toBe('number');
  });
});
