import { describe, expect, it } from 'vitest';
import { check, ConfigError, defineSpec, instantiate, model, t, type CheckOptions, type CheckResult } from '../../checker/index.js';
import dieHard from '../../specs/examples/die-hard.spec.js';
import twoPhase from '../../specs/examples/two-phase.spec.js';

/** A counter 0..MAX that can be incremented or reset; the workhorse of these tests. */
const counter = (over: {
  max?: number;
  terminal?: (s: { x: number }) => boolean;
  constraint?: (s: { x: number }) => boolean;
  invariants?: Record<string, (s: { x: number }) => boolean>;
} = {}) => defineSpec({
  name: 'Counter',
  setup: () => model({
    state: t.record({ x: t.int(0, over.max ?? 3) }),
    init: { x: 0 },
    actions: {
      Inc: { enabled: (s) => s.x < (over.max ?? 3), next: (s) => { s.x++; } },
    },
    invariants: over.invariants,
    terminal: over.terminal,
    constraint: over.constraint,
  }),
});

const run = (spec: Parameters<typeof instantiate>[0], opts: CheckOptions = {}, constants = {}) => check(instantiate(spec, constants), opts);
const labels = (r: CheckResult) => (r.status === 'violation' ? r.violation.trace : r.status === 'error' ? r.error.trace : []).map((s) => s.label);
/** A result without its timing and memory fields, for comparing runs. */
const timeless = (r: CheckResult) => ({ ...r, stats: { ...r.stats, seconds: 0, storeBytes: 0 } });

describe('check: order and counts', () => {
  it('gives the same result, counts and trace on every run', () => {
    const a = run(twoPhase, {}, { RMS: 4 });
    const b = run(twoPhase, {}, { RMS: 4 });
    expect(timeless(a)).toEqual(timeless(b));
    const c = run(dieHard);
    const d = run(dieHard);
    expect(timeless(c)).toEqual(timeless(d));
  });

  it('counts initial states plus every successor computed as generated, and levels as depth', () => {
    // 0 -> 1 -> 2 -> 3: four states, four levels, one initial state and three successors.
    const r = run(counter({ terminal: (s) => s.x === 3 }));
    expect(r.status).toBe('ok');
    expect(r.stats).toMatchObject({ distinct: 4, generated: 4, transitions: 3, depth: 4, queue: 0 });
  });

  it('counts duplicate successors as generated but not as distinct', () => {
    const spec = defineSpec({
      name: 'Dup',
      setup: () => model({
        state: t.bool(),
        init: false,
        actions: { Set: { params: [true, false], next: (_s, p) => p } },
      }),
    });
    // false -> {true, false}; true -> {true, false}: 2 distinct, 1 + 4 generated.
    expect(run(spec).stats).toMatchObject({ distinct: 2, generated: 5, depth: 2 });
  });

  it('explores initial states in order and reports depth 1 for a lone initial state', () => {
    const spec = defineSpec({
      name: 'Inits',
      setup: () => model({
        state: t.int(0, 9),
        init: [5, 7, 5],
        actions: { Stay: { next: (s) => s } },
        invariants: { NotSeven: (s) => s !== 7 },
      }),
    });
    const r = run(spec);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.trace).toHaveLength(1);
    expect(r.violation.trace[0]).toMatchObject({ action: 'Init', state: 7 });
    expect(r.stats.depth).toBe(1);
  });

  it('tries actions in declaration order and parameters in enumeration order (shortest, first trace)', () => {
    const spec = defineSpec({
      name: 'Order',
      setup: () => model({
        state: t.record({ a: t.int(0, 2), b: t.int(0, 2) }),
        init: { a: 0, b: 0 },
        actions: {
          IncB: { params: [2, 1], next: (s, n) => { s.b = Math.min(2, s.b + n); } },
          IncA: { next: (s) => { s.a = Math.min(2, s.a + 1); } },
        },
        invariants: { NotBoth: (s) => !(s.a >= 1 && s.b >= 1) },
        terminal: () => true,
      }),
    });
    const r = run(spec);
    expect(labels(r)).toEqual(['Init', 'IncB(2)', 'IncA']);
  });

  it('accepts a recipe that returns a whole new state', () => {
    const spec = defineSpec({
      name: 'Replace',
      setup: () => model({
        state: t.record({ x: t.int(0, 2) }),
        init: { x: 0 },
        actions: { Next: { next: (s) => ({ x: (s.x + 1) % 3 }) } },
      }),
    });
    expect(run(spec).stats).toMatchObject({ distinct: 3, depth: 3 });
  });
});

describe('check: deadlock and terminal states', () => {
  it('reports a state without successors as a deadlock, with the trace to it', () => {
    const r = run(counter());
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.kind).toBe('deadlock');
    expect(r.violation.name).toBe('Deadlock');
    expect(r.violation.trace.map((s) => s.state)).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }]);
  });

  it('does not report states the spec declares terminal', () => {
    expect(run(counter({ terminal: (s) => s.x === 3 })).status).toBe('ok');
    const r = run(counter({ terminal: (s) => s.x === 2 }));
    expect(r.status).toBe('violation');
  });

  it('does not report deadlocks when deadlock detection is off', () => {
    expect(run(counter(), { deadlock: false })).toMatchObject({ status: 'ok', stats: { distinct: 4 } });
  });
});

describe('check: constraint and view', () => {
  it('neither stores nor explores states outside the constraint', () => {
    const r = run(counter({ max: 10, constraint: (s) => s.x <= 5, invariants: { Small: (s) => s.x <= 5 } }), { deadlock: false });
    // 0..5 are stored; 6 is computed (generated) from 5 but dropped, so Small never sees it.
    expect(r).toMatchObject({ status: 'ok', stats: { distinct: 6, generated: 7, depth: 6 } });
  });

  it('identifies states with the same view', () => {
    const spec = defineSpec({
      name: 'Viewed',
      setup: () => model({
        state: t.record({ x: t.int(0, 3), steps: t.int(0, 7) }),
        init: { x: 0, steps: 0 },
        actions: {
          Inc: { enabled: (s) => s.x < 3, next: (s) => { s.x++; s.steps = Math.min(7, s.steps + 1); } },
          Dec: { enabled: (s) => s.x > 0, next: (s) => { s.x--; s.steps = Math.min(7, s.steps + 1); } },
        },
        view: { state: t.int(0, 3), of: (s) => s.x },
      }),
    });
    expect(run(spec).stats).toMatchObject({ distinct: 4, depth: 4 });
  });

  it('reports a view outside its own schema as an evaluation error', () => {
    const spec = defineSpec({
      name: 'BadView',
      setup: () => model({
        state: t.int(0, 3),
        init: 0,
        actions: { Inc: { enabled: (s) => s < 3, next: (s) => s + 1 } },
        view: { state: t.int(0, 1), of: (s) => s },
        terminal: () => true,
      }),
    });
    const r = run(spec);
    expect(r.status).toBe('error');
    if (r.status === 'error') expect(r.error.phase).toBe('view');
  });
});

describe('check: bounds give incomplete, never ok', () => {
  const diehardOk = { GOAL: 6 }; // unreachable goal: 16 distinct states, depth 8

  it('stops as incomplete when more distinct states would be stored than --max-states', () => {
    const r = run(dieHard, { maxStates: 10 }, diehardOk);
    expect(r).toMatchObject({ status: 'incomplete', reason: 'max-states', stats: { distinct: 10 } });
    expect(r.stats.queue).toBeGreaterThan(0);
  });

  it('is ok when the state space fits exactly within --max-states', () => {
    expect(run(dieHard, { maxStates: 16 }, diehardOk)).toMatchObject({ status: 'ok', stats: { distinct: 16 } });
    expect(run(dieHard, { maxStates: 15 }, diehardOk)).toMatchObject({ status: 'incomplete', reason: 'max-states' });
  });

  it('stops as incomplete when a new state lies beyond --max-depth', () => {
    const r = run(dieHard, { maxDepth: 5 }, diehardOk);
    expect(r).toMatchObject({ status: 'incomplete', reason: 'max-depth', stats: { depth: 5 } });
    expect(r.stats.distinct).toBeLessThan(16);
  });

  it('is ok when --max-depth is at least the real depth', () => {
    expect(run(dieHard, { maxDepth: 8 }, diehardOk)).toMatchObject({ status: 'ok', stats: { distinct: 16, depth: 8 } });
    expect(run(dieHard, { maxDepth: 7 }, diehardOk).status).toBe('incomplete');
  });

  it('still reports a violation found before the bound', () => {
    const r = run(dieHard, { maxDepth: 7 });
    expect(r.status).toBe('violation');
  });

  it('stops as incomplete when the memory budget is exhausted', () => {
    const r = run(twoPhase, { memory: 1 }, { RMS: 4 });
    expect(r).toMatchObject({ status: 'incomplete', reason: 'memory' });
  });
});

describe('check: invariants and TypeOK', () => {
  it('checks only the invariants named with --invariant', () => {
    const spec = counter({ terminal: () => true, invariants: { Below2: (s) => s.x < 2, Below3: (s) => s.x < 3 } });
    expect(run(spec)).toMatchObject({ status: 'violation', violation: { name: 'Below2' } });
    expect(run(spec, { invariants: ['Below3'] })).toMatchObject({ status: 'violation', violation: { name: 'Below3' } });
    expect(labels(run(spec, { invariants: ['Below3'] }))).toEqual(['Init', 'Inc', 'Inc', 'Inc']);
    expect(run(spec, { invariants: ['TypeOK'] }).status).toBe('ok');
  });

  it('rejects an unknown invariant name, listing the known ones', () => {
    const spec = counter({ invariants: { Below2: (s) => s.x < 2 } });
    expect(() => run(spec, { invariants: ['Belo2'] })).toThrow(ConfigError);
    expect(() => run(spec, { invariants: ['Belo2'] })).toThrow(/unknown invariant 'Belo2'.*known: Below2/);
  });

  it('reports a value outside its domain as a TypeOK violation with the trace that produced it', () => {
    const spec = defineSpec({
      name: 'Overflow',
      setup: () => model({
        state: t.record({ x: t.int(0, 2), mode: t.enum('a', 'b') }),
        init: { x: 0, mode: 'a' },
        actions: {
          Inc: { next: (s) => { s.x++; } }, // no guard: leaves 0..2 after two steps
        },
      }),
    });
    for (const engine of ['fast', 'immer'] as const) {
      const r = run(spec, { engine });
      expect(r.status).toBe('violation');
      if (r.status !== 'violation') continue;
      expect(r.violation.kind).toBe('TypeOK');
      expect(r.violation.name).toBe('TypeOK');
      expect(r.violation.message).toContain('x: 3 is not in 0..2');
      expect(r.violation.trace.map((s) => s.state)).toEqual([{ x: 0, mode: 'a' }, { x: 1, mode: 'a' }, { x: 2, mode: 'a' }, { x: 3, mode: 'a' }]);
    }
  });

  it('reports a misspelt enum member as TypeOK, naming the value', () => {
    const spec = defineSpec({
      name: 'Typo',
      setup: () => model({
        state: t.record({ phase: t.enum('RUNNING', 'STOP') }),
        init: { phase: 'RUNNING' },
        actions: { Stop: { next: (s) => { (s as { phase: string }).phase = 'STOPPED'; } } },
      }),
    });
    expect(run(spec)).toMatchObject({ status: 'violation', violation: { kind: 'TypeOK', message: expect.stringContaining('"STOPPED"') } });
  });

  it('rejects an initial state outside its type when the spec is instantiated', () => {
    const spec = defineSpec({
      name: 'BadInit',
      setup: () => model({ state: t.int(0, 2), init: 5, actions: { Stay: { next: (s) => s } } }),
    });
    expect(() => instantiate(spec)).toThrow(/initial state #0 is outside its type: state: 5 is not in 0..2/);
  });
});

describe('check: action properties', () => {
  const spec = defineSpec({
    name: 'Steps',
    setup: () => model({
      state: t.record({ x: t.int(0, 5) }),
      init: { x: 0 },
      actions: {
        Add: { params: [1, 2], enabled: (s, n) => s.x + n <= 5, next: (s, n) => { s.x += n; } },
        Reset: { enabled: (s) => s.x === 5, next: (s) => { s.x = 0; } },
      },
      properties: {
        NeverDecreases: { check: (before, after) => after.x >= before.x, doc: 'x only grows', clause: 'EX-1', level: 'MUST' },
        SmallSteps: (before, after, step) => step.action !== 'Add' || after.x - before.x === step.param,
      },
    }),
  });

  it('checks every transition and reports the bad step last in the trace', () => {
    const r = run(spec);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation).toMatchObject({ kind: 'action-property', name: 'NeverDecreases', clause: 'EX-1', level: 'MUST', doc: 'x only grows' });
    expect(r.violation.message).toContain('Reset');
    expect(labels(r)).toEqual(['Init', 'Add(1)', 'Add(2)', 'Add(2)', 'Reset']);
    expect(r.violation.trace.at(-1)!.state).toEqual({ x: 0 });
  });

  it('gives the property the action name and parameter of the step', () => {
    const seen = new Set<string>();
    const probe = defineSpec({
      name: 'Probe',
      setup: () => model({
        state: t.int(0, 2),
        init: 0,
        actions: { Add: { params: [1, 2], enabled: (s, n) => s + n <= 2, next: (s, n) => s + n }, Stop: { enabled: (s) => s === 2, next: (s) => s } },
        properties: { Record: (_b, _a, step) => { seen.add(`${step.action}:${String(step.param)}`); return true; } },
      }),
    });
    expect(run(probe).status).toBe('ok');
    expect([...seen].sort()).toEqual(['Add:1', 'Add:2', 'Stop:undefined']);
  });

  it('can be selected with --invariant like an invariant', () => {
    expect(run(spec, { invariants: ['SmallSteps'] }).status).toBe('ok');
  });
});

describe('check: exceptions in the spec come back as errors with context', () => {
  const throwing = (where: 'enabled' | 'next' | 'invariant' | 'property' | 'terminal' | 'constraint') => defineSpec({
    name: 'Throws',
    setup: () => model({
      state: t.record({ x: t.int(0, 3) }),
      init: { x: 0 },
      actions: {
        Inc: {
          params: ['one'],
          enabled: (s) => {
            if (where === 'enabled' && s.x === 2) throw new Error('guard exploded');
            return s.x < 3;
          },
          next: (s) => {
            if (where === 'next' && s.x === 2) throw new Error('recipe exploded');
            s.x++;
          },
        },
      },
      invariants: {
        Fine: (s) => {
          if (where === 'invariant' && s.x === 2) throw new Error('invariant exploded');
          return true;
        },
      },
      properties: {
        Ok: (_b, a) => {
          if (where === 'property' && a.x === 2) throw new Error('property exploded');
          return true;
        },
      },
      terminal: (s) => {
        if (where === 'terminal') throw new Error('terminal exploded');
        return s.x === 3;
      },
      constraint: (s) => {
        if (where === 'constraint' && s.x === 2) throw new Error('constraint exploded');
        return true;
      },
    }),
  });

  it.each(['fast', 'immer'] as const)('names the action and parameter of a guard that throws, with the trace to the state (%s)', (engine) => {
    const r = run(throwing('enabled'), { engine });
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error).toMatchObject({ phase: 'enabled', action: 'Inc', param: 'one', message: 'guard exploded' });
    expect(r.error.trace.map((s) => s.state)).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
  });

  it('names the action of a recipe that throws', () => {
    const r = run(throwing('next'));
    expect(r).toMatchObject({ status: 'error', error: { phase: 'next', action: 'Inc', message: 'recipe exploded' } });
    expect(labels(r)).toEqual(['Init', 'Inc(one)', 'Inc(one)']);
  });

  it('names the invariant that throws, with the trace to the state it was judging', () => {
    const r = run(throwing('invariant'));
    expect(r).toMatchObject({ status: 'error', error: { phase: 'invariant', name: 'Fine', message: 'invariant exploded' } });
    if (r.status === 'error') expect(r.error.trace.at(-1)!.state).toEqual({ x: 2 });
  });

  it('names the property that throws and the step it was judging', () => {
    const r = run(throwing('property'));
    expect(r).toMatchObject({ status: 'error', error: { phase: 'property', name: 'Ok', action: 'Inc', message: 'property exploded' } });
  });

  it('reports a terminal predicate or constraint that throws', () => {
    expect(run(throwing('terminal'))).toMatchObject({ status: 'error', error: { phase: 'terminal', message: 'terminal exploded' } });
    expect(run(throwing('constraint'))).toMatchObject({ status: 'error', error: { phase: 'constraint', message: 'constraint exploded' } });
  });

  it('reports a setup that throws as a bad spec naming it', () => {
    const spec = defineSpec({ name: 'NoSetup', setup: () => { throw new Error('no model today'); } });
    expect(() => instantiate(spec)).toThrow(/spec NoSetup: setup\(\) threw: no model today/);
  });
});

describe('check: nondeterministic specs', () => {
  it('reports a guard that reads outside state as nondeterminism (the trace does not replay)', () => {
    let calls = 0; // state the checker cannot see: the guard gives up after two calls
    const spec = defineSpec({
      name: 'Flaky',
      setup: () => model({
        state: t.int(0, 3),
        init: 0,
        actions: { Inc: { enabled: (s) => s < 3 && calls++ < 2, next: (s) => s + 1 } },
        invariants: { NotTwo: (s) => s !== 2 },
        terminal: () => true,
      }),
    });
    const r = run(spec);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.kind).toBe('nondeterminism');
    expect(r.violation.message).toMatch(/not enabled on replay/);
  });

  it('reports a recipe whose result differs on replay as nondeterminism', () => {
    let calls = 0;
    const spec = defineSpec({
      name: 'Drifting',
      setup: () => model({
        state: t.int(0, 9),
        init: 0,
        actions: { Step: { enabled: (s) => s < 5, next: () => (calls++ === 1 ? 5 : 1) } },
        invariants: { NotFive: (s) => s !== 5 },
        terminal: () => true,
      }),
    });
    const r = run(spec);
    expect(r).toMatchObject({ status: 'violation', violation: { kind: 'nondeterminism' } });
  });
});

describe('check: a recipe that assigns an undeclared field', () => {
  const extra = defineSpec({
    name: 'ExtraField',
    setup: () => model({
      state: t.record({ x: t.int(0, 3), r: t.record({ y: t.bool() }) }),
      init: { x: 0, r: { y: false } },
      actions: {
        Inc: {
          enabled: (s) => s.x < 3,
          next: (s) => {
            s.x++;
            if (s.x === 2) (s.r as Record<string, unknown>).typo = 1;
          },
        },
      },
      terminal: () => true,
    }),
  });

  it('is an evaluation error naming the field and the action under the fast semantics', () => {
    const r = check(instantiate(extra));
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error.action).toBe('Inc');
    expect(r.error.message).toMatch(/typo/);
  });

  it('is a TypeOK violation under the immer reference semantics', () => {
    const r = check(instantiate(extra), { engine: 'immer' });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.kind).toBe('TypeOK');
    expect(r.violation.message).toMatch(/r\.typo: not a declared field/);
  });
});
