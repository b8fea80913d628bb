// The strategies built on Successors besides BFS (issue 12): simulation (random walks,
// seeded per walk), coverage tallies, and the state-graph dump.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, model, t, type CheckResult } from '../../checker/index.js';
import { Successors } from '../../checker/explore/successors.js';
import { SplitMix32 } from '../../checker/explore/simulate.js';
import { dumpDoc, exploreForDump, renderDump } from '../../checker/explore/dump.js';
import { EXIT, exitCodeFor } from '../../checker/cli/exit.js';
import { headline } from '../../checker/report/text.js';
import { main } from '../../checker/cli/main.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../specs/discover.js';
import { fileURLToPath } from 'node:url';
import grid from '../bench/fixtures/grid.spec.js';
import twoPhaseBroken from '../../specs/examples/two-phase-broken.spec.js';
import twoPhase from '../../specs/examples/two-phase.spec.js';
import dieHard from '../../specs/examples/die-hard.spec.js';

/** A counter with a guard reading a misspelt field: `Reset` can never fire. */
const misspelt = defineSpec({
  name: 'Misspelt',
  constants: { MAX: { default: 5, min: 1, max: 50 } },
  setup: ({ MAX }) =>
    model({
      state: t.record({ n: t.int(0, MAX), done: t.bool() }),
      init: { n: 0, done: false },
      actions: {
        Inc: { enabled: (s) => s.n < MAX, next: (s) => { s.n += 1; } },
        Finish: { enabled: (s) => s.n === MAX && !s.done, next: (s) => { s.done = true; } },
        Reset: { enabled: (s) => (s as unknown as { dnoe?: boolean }).dnoe === true, next: (s) => { s.n = 0; } },
      },
      terminal: (s) => s.done,
    }),
});

/** Everything of a result but timings. */
function stable(r: CheckResult) {
  return { ...r, stats: { ...r.stats, seconds: 0 }, simulation: r.simulation && { ...r.simulation, stepsPerSecond: 0 } };
}

describe('SplitMix32', () => {
  it('is a fixed sequence per seed, spread over [0, n)', () => {
    const a = new SplitMix32(7);
    const b = new SplitMix32(7);
    const xs = Array.from({ length: 1000 }, () => a.below(10));
    expect(Array.from({ length: 1000 }, () => b.below(10))).toEqual(xs);
    for (let d = 0; d < 10; d++) expect(xs.filter((x) => x === d).length).toBeGreaterThan(50);
    expect(new SplitMix32(8).next()).not.toBe(new SplitMix32(7).next());
  });
});

describe('simulation', () => {
  const broken = instantiate(twoPhaseBroken, {});

  it('finds the violation, and the walk that found it alone reproduces it exactly', () => {
    const r = check(broken, { simulate: { seed: 1, runs: 100, depth: 20 } });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.name).toBe('CommitOnlyWhenAllPrepared');
    const f = r.simulation!.failing!;
    expect(f.seed).toBe(1 + f.run);
    const again = check(broken, { simulate: { seed: f.seed, runs: 1, depth: 20 } });
    expect(again.status).toBe('violation');
    if (again.status !== 'violation') return;
    expect(again.violation.trace).toEqual(r.violation.trace);
    expect(again.simulation!.failing).toEqual({ run: 0, seed: f.seed });
  });

  it('is deterministic for a seed, and other seeds walk elsewhere', () => {
    const inst = instantiate(twoPhase, {});
    const a = check(inst, { simulate: { seed: 5, runs: 50, depth: 30 } });
    const b = check(inst, { simulate: { seed: 5, runs: 50, depth: 30 } });
    const c = check(inst, { simulate: { seed: 6, runs: 50, depth: 30 } });
    expect(stable(b)).toEqual(stable(a));
    expect(c.coverage!.actions.map((x) => x.fired)).not.toEqual(a.coverage!.actions.map((x) => x.fired));
  });

  it('reports no-violation-found (exit 0, not ok, says it proves nothing) and keeps to --depth and --runs', () => {
    const r = check(instantiate(twoPhase, {}), { simulate: { seed: 0, runs: 40, depth: 7 } });
    expect(r.status).toBe('no-violation-found');
    expect(exitCodeFor(r)).toBe(EXIT.NO_VIOLATION_FOUND);
    expect(EXIT.NO_VIOLATION_FOUND).toBe(0);
    expect(headline(r)).toMatch(/not a proof/);
    expect(r.stats.depth).toBeLessThanOrEqual(7);
    expect(r.simulation!.runs).toBe(40);
    expect(r.simulation!.steps).toBeLessThanOrEqual(40 * 6);
    const fired = r.coverage!.actions.reduce((a, x) => a + x.fired, 0);
    expect(fired).toBe(r.simulation!.steps);
    // Each step found at most one new state; the initial state is the rest.
    expect(r.coverage!.actions.reduce((a, x) => a + x.distinct, 0) + 1).toBe(r.stats.distinct);
  });

  it('reports a deadlock met by a walk, with a replayed trace', () => {
    const inst = instantiate(misspelt, { MAX: 3 });
    const noTerminal = { ...inst, terminal: undefined };
    const r = check(noTerminal, { simulate: { seed: 0, runs: 1, depth: 50 } });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') {
      expect(r.violation.kind).toBe('deadlock');
      expect(r.violation.trace.map((s) => s.action)).toEqual(['Init', 'Inc', 'Inc', 'Inc', 'Finish']);
    }
  });

  it('refuses a temporal property it was asked to check, and says which it leaves out', async () => {
    const lock = (await import('../../specs/examples/lock-fairness.spec.js')).default;
    const inst = instantiate(lock, {});
    expect(() => check(inst, { simulate: { runs: 1 }, invariants: ['Process0GetsLock'] })).toThrow(/simulation checks no temporal property .*Process0GetsLock/);
    expect(() => check(inst, { simulate: { runs: 1 }, temporal: ['LockReleased'] })).toThrow(/LockReleased/);
    expect(check(inst, { simulate: { runs: 5 } }).status).toBe('no-violation-found');
  });

  it('refuses workers and bad settings with a message', () => {
    expect(() => check(instantiate(twoPhase, {}), { simulate: { runs: 1 }, workers: 2, module: 'x' })).toThrow(/one thread/);
    expect(() => check(instantiate(twoPhase, {}), { simulate: { depth: 0 } })).toThrow(/depth/);
  });
});

describe('coverage', () => {
  it('warns about an action that never fired, in every run', () => {
    const r = check(instantiate(misspelt, {}));
    expect(r.status).toBe('ok');
    expect(r.coverage!.neverFired).toEqual(['Reset']);
    expect(r.coverage!.detailed).toBe(false);
  });

  it('counts per choice what the BFS did: fired = enabled, new states sum to distinct', () => {
    const inst = instantiate(twoPhase, {});
    const r = check(inst, { coverage: true });
    const t = r.coverage!;
    expect(t.detailed).toBe(true);
    expect(t.actions).toHaveLength(inst.choices.length);
    for (const a of t.actions) expect(a.enabled).toBe(a.fired);
    expect(t.actions.reduce((a, x) => a + x.fired, 0)).toBe(r.stats.transitions);
    expect(t.actions.reduce((a, x) => a + x.distinct, 0) + t.initial).toBe(r.stats.distinct);
    expect(t.properties.map((p) => [p.name, p.evaluated])).toEqual(inst.invariants.map((i) => [i.name, r.stats.distinct]));
  });

  it('merges the workers\' tallies into the single-threaded table', () => {
    const module = fileURLToPath(new URL('../bench/fixtures/grid.spec.ts', import.meta.url));
    const inst = instantiate(grid, {});
    const one = check(inst, { coverage: true });
    let chunks = 0;
    const two = check(inst, { coverage: true, workers: 2, module, parallel: { minLevel: 1, chunk: 37, waitForWorkers: true, onReport: (r) => (chunks = r.chunksInParallel) } });
    expect(chunks).toBeGreaterThan(0); // the workers expanded chunks
    expect(two.status).toBe(one.status);
    expect(two.coverage).toEqual(one.coverage);
    expect(one.coverage!.actions.some((a) => a.fired > 0)).toBe(true);
  });

  it('evaluates the premise of a leads-to property', () => {
    const spec = defineSpec({
      name: 'Premise',
      setup: () =>
        model({
          state: t.record({ n: t.int(0, 3) }),
          init: { n: 0 },
          actions: { Inc: { enabled: (s) => s.n < 3, next: (s) => { s.n += 1; } } },
          terminal: (s) => s.n === 3,
          temporal: {
            Never: { leadsTo: [(s) => s.n > 5, (s) => s.n === 0] },
            Reaches: { leadsTo: [(s) => s.n === 1, (s) => s.n === 3] },
          },
          fairness: { weak: ['Inc'] },
        }),
    });
    const r = check(instantiate(spec, {}), { coverage: true });
    expect(r.status).toBe('ok');
    const props = Object.fromEntries(r.coverage!.properties.map((p) => [p.name, p]));
    expect(props.Never).toMatchObject({ kind: 'temporal', evaluated: 4, premise: 0, consequence: 1 });
    expect(props.Reaches).toMatchObject({ premise: 1, consequence: 1 });
  });
});

describe('state-graph dump', () => {
  it('writes every state and edge with the counterexample marked', () => {
    const inst = instantiate(dieHard, {});
    const succ = new Successors(inst);
    const e = exploreForDump(succ);
    expect(e.kind).toBe('ok');
    if (e.kind !== 'ok') return;
    const r = check(inst);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    const doc = dumpDoc(succ, e.explored, r.violation);
    expect(doc.states).toHaveLength(e.explored.graph.n);
    expect(doc.edges).toHaveLength(e.explored.graph.edges);
    const path = doc.violation!.path;
    expect(path).toHaveLength(r.violation.trace.length);
    expect(path.every((v) => v >= 0)).toBe(true);
    expect(doc.edges.filter((x) => x.onPath)).toHaveLength(path.length - 1);
    expect(doc.states.filter((s) => s.onPath).map((s) => s.id).sort((a, b) => a - b)).toEqual([...new Set(path)].sort((a, b) => a - b));
    const dot = renderDump(doc, inst.schema, 'dot');
    expect(dot.match(/->/g)).toHaveLength(doc.edges.length);
    expect(dot.match(/-> s\d+ \[label="[^"]*", color=red/g)).toHaveLength(path.length - 1);
    expect(JSON.parse(renderDump(doc, inst.schema, 'json')).graph.states).toHaveLength(doc.states.length);
  });

  it('refuses an instance above the bound', () => {
    const succ = new Successors(instantiate(twoPhase, {}));
    expect(exploreForDump(succ, 100)).toEqual({ kind: 'too-large', limit: 100 });
  });
});

describe('command line', () => {
  async function cli(argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (x) => { out += x; }, err: (x) => { err += x; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
    return { code, out, err };
  }
  const spec = 'specs/examples/two-phase-broken.spec.ts';

  it('prints the command that reproduces the walk, and it does', async () => {
    const a = await cli(['check', spec, '--simulate', '--seed', '1', '--runs', '100', '--depth', '20']);
    expect(a.code).toBe(EXIT.VIOLATION);
    const repro = /Reproduce: npx migcheck (.*)/.exec(a.out)![1].split(' ');
    expect(repro).toEqual(['check', spec, '--simulate', '--seed', '3', '--depth', '20', '--runs', '1']);
    const b = await cli(repro);
    expect(b.code).toBe(EXIT.VIOLATION);
    const trace = (s: string) => s.slice(s.indexOf('Trace'), s.indexOf('Reproduce'));
    expect(trace(b.out)).toBe(trace(a.out));
  });

  it('says a simulation that found nothing proves nothing, and exits 0', async () => {
    const r = await cli(['check', 'specs/examples/two-phase.spec.ts', '--simulate', '--runs', '20']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No violation found by simulation: .*not a proof/);
    expect(r.out).toMatch(/steps\/s/);
  });

  it('rejects options that would have no effect', async () => {
    for (const [argv, msg] of [
      [['--seed', '3'], /--seed is an option of --simulate/],
      [['--simulate', '--max-states', '10'], /--max-states bounds the exhaustive search/],
      [['--simulate', '--seed', 'x'], /--seed expects a whole number/],
      [['--simulate', '--time', 'soon'], /--time expects a duration/],
      [['--dump', 'svg', 'g.svg'], /unknown format 'svg'/],
      [['--dump', 'dot'], /--dump expects FORMAT FILE/],
    ] as const) {
      const r = await cli(['check', spec, ...argv]);
      expect(r.code, argv.join(' ')).toBe(EXIT.USAGE);
      expect(r.err).toMatch(msg);
    }
  });

  it('--dump writes the graph, and refuses a large instance before checking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-dump-'));
    try {
      const r = await cli(['check', 'specs/examples/die-hard.spec.ts', '--dump', 'dot', join(dir, 'g.dot')]);
      expect(r.code).toBe(EXIT.VIOLATION);
      expect(r.err).toMatch(/state graph \(16 states, \d+ edges, counterexample marked\)/);
      expect(readFileSync(join(dir, 'g.dot'), 'utf8')).toMatch(/^digraph "DieHard" \{/);
      const big = await cli(['check', '--dump', 'json', join(dir, 'g.json')]);
      expect(big.code).toBe(EXIT.USAGE);
      expect(big.err).toMatch(/more than 10,000 reachable states/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--coverage prints the table and the JSON document carries it', async () => {
    const r = await cli(['check', 'specs/examples/two-phase.spec.ts', '--coverage', '--format', 'json']);
    const doc = JSON.parse(r.out);
    expect(doc.coverage.actions[0]).toMatchObject({ action: 'TMCommit', enabled: 1, fired: 1, distinct: 1 });
    expect(doc.neverFired).toEqual([]);
    const text = await cli(['check', 'specs/examples/two-phase.spec.ts', '--coverage']);
    expect(text.out).toMatch(/Coverage \(1 initial state\):\n +action +enabled +fired +new states/);
  });
});
