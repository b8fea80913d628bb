// Specs that cannot be silently wrong (issue 12 item 5): an unknown key anywhere in a spec
// is a SpecError naming it with a did-you-mean hint (exit 150 on the CLI); deadlock
// checking is settable in the spec (TCommit.cfg's CHECK_DEADLOCK FALSE). And fairness
// enabledness as TLC has it (item 6): an action whose only successor lies outside the
// state constraint still counts as enabled.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { check, defineSpec, instantiate, model, t, SpecError, Successors, editDistance, nearest, suggest, type ConstValues } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/cli/exit.js';
import { repoRoot } from '../specs/discover.js';
import tcommit from '../../specs/examples/tcommit.spec.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const spec = (over: Record<string, any> = {}, modelOver: Record<string, any> = {}) =>
  defineSpec({
    name: 'Keys',
    constants: { N: { default: 2, min: 1 } },
    setup: ({ N }: { N: number }) =>
      model({
        state: t.record({ x: t.int(0, 3) }),
        init: { x: 0 },
        actions: { Inc: { enabled: (s: { x: number }) => s.x < N, next: (s: { x: number }) => { s.x++; } } },
        invariants: { Small: { check: (s: { x: number }) => s.x <= 3, doc: 'x stays small' } },
        ...modelOver,
      } as never),
    ...over,
  } as never);

function specError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
}

describe('names: one did-you-mean helper', () => {
  it('measures edit distance and suggests only near names', () => {
    expect(editDistance('strnog', 'strong')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearest('invariant', ['invariants', 'properties'])).toBe('invariants');
    expect(nearest('zzz', ['invariants', 'properties'])).toBeUndefined();
    expect(suggest('Smal', ['Small'])).toBe("; did you mean 'Small'?");
    expect(suggest('qqqqq', ['Small'])).toBe('');
  });
});

describe('unknown keys in a spec are errors', () => {
  it('accepts the well-formed spec', () => {
    const r = check(instantiate(spec()));
    expect(r.status === 'violation' && r.violation.kind).toBe('deadlock'); // at x = N
  });
  it('rejects an unknown defineSpec key', () => {
    expect(specError(() => instantiate(spec({ invariant: {} })))).toMatch(/spec Keys: unknown key 'invariant'; allowed: name, doc, constants, setup, check, expect/);
    expect(specError(() => instantiate(spec({ chek: { deadlock: false } })))).toMatch(/unknown key 'chek'.*did you mean 'check'/);
  });
  it('rejects an unknown model key', () => {
    expect(specError(() => instantiate(spec({}, { invariant: { A: () => true } })))).toMatch(/model: unknown key 'invariant'.*did you mean 'invariants'/);
  });
  it('rejects an unknown action key', () => {
    const m = specError(() => instantiate(spec({}, { actions: { Inc: { enabeld: () => true, next: () => {} } } })));
    expect(m).toMatch(/action 'Inc': unknown key 'enabeld'.*did you mean 'enabled'/);
  });
  it('rejects an unknown key in an invariant or property object', () => {
    expect(specError(() => instantiate(spec({}, { invariants: { A: { check: () => true, clase: 'X-1' } } })))).toMatch(/invariant 'A': unknown key 'clase'.*did you mean 'clause'/);
    expect(specError(() => instantiate(spec({}, { properties: { P: { check: () => true, lvl: 'MUST' } } })))).toMatch(/property 'P': unknown key 'lvl'/);
  });
  it('rejects unknown temporal and fairness keys', () => {
    expect(specError(() => instantiate(spec({}, { temporal: { L: { alwaysEventually: () => true, dco: '' } } })))).toMatch(/temporal property 'L': unknown key 'dco'.*did you mean 'doc'/);
    expect(specError(() => instantiate(spec({}, { fairness: { strnog: ['Inc'] } })))).toMatch(/fairness: unknown key 'strnog'.*did you mean 'strong'/);
  });
  it('rejects unknown keys in constant definitions, check settings and expectations', () => {
    expect(specError(() => instantiate(spec({ constants: { N: { default: 2, mn: 1 } } })))).toMatch(/constant 'N': unknown key 'mn'.*did you mean 'min'/);
    expect(specError(() => instantiate(spec({ check: { deadlok: false } })))).toMatch(/check: unknown key 'deadlok'.*did you mean 'deadlock'/);
    expect(specError(() => instantiate(spec({ check: { enabledness: 'explord' } })))).toMatch(/enabledness must be 'action' or 'explored'.*did you mean 'explored'/);
    expect(specError(() => instantiate(spec({ expect: [{ status: 'ok', distnct: 3 }] })))).toMatch(/expect\[0\]: unknown key 'distnct'.*did you mean 'distinct'/);
  });
  it('exits 150 on the command line with one line naming the key', async () => {
    let out = '';
    let err = '';
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { pathToFileURL } = await import('node:url');
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-keys-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(join(dir, 'typo.spec.ts'), [
        `import { defineSpec, model, t } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'checker', 'index.ts')).href)};`,
        "export default defineSpec({ name: 'Typo', setup: () => model({ state: t.bool(), init: false, actions: { Flip: { next: (s) => !s } }, invariant: { Ok: () => true } } as never) });",
      ].join('\n'));
      const code = await main(['check', join(dir, 'typo.spec.ts')], { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: dir });
      expect(code).toBe(EXIT.BAD_SPEC);
      expect(code).toBe(150);
      expect(out).toBe('');
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(err).toMatch(/unknown key 'invariant'.*did you mean 'invariants'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deadlock checking set in the spec', () => {
  it('TCommit gives TLC\'s TCommit.cfg result with no options (34 distinct, 94 generated, depth 7)', () => {
    const r = check(instantiate(tcommit));
    expect(r.status).toBe('ok');
    expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([34, 94, 7]);
    // The option still overrides the spec.
    const on = check(instantiate(tcommit), { deadlock: true });
    expect(on.status === 'violation' && on.violation.kind).toBe('deadlock');
  });
  it('TCommit on the command line exits 0 with those numbers', async () => {
    let out = '';
    const code = await main(['check', 'specs/examples/tcommit.spec.ts', '--format', 'json'], { out: (s) => { out += s; }, err: () => {}, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
    expect(code).toBe(0);
    expect(JSON.stringify(JSON.parse(out))).toMatch(/"distinct":34/);
  });
  it('check.deadlock: false in any spec turns the deadlock off', () => {
    expect(check(instantiate(spec())).status).toBe('violation');
    expect(check(instantiate(spec({ check: { deadlock: false } }))).status).toBe('ok');
  });
});

describe('enabledness for fairness (TLC reads ENABLED from the action)', () => {
  // x = 0 is the only state inside the constraint; Inc's successor x = 1 lies outside.
  // Under WF(Inc), stuttering in x = 0 for ever is unfair when Inc counts as enabled there
  // (TLC): no fair behaviour remains and []<>(x = 1) holds vacuously. Counting only the
  // explored successors, Inc is never enabled, stuttering is fair, and the property fails.
  const fair = (enabledness?: 'action' | 'explored') =>
    defineSpec({
      name: 'Edge',
      ...(enabledness ? { check: { enabledness } } : {}),
      setup: () =>
        model({
          state: t.record({ x: t.int(0, 3) }),
          init: { x: 0 },
          actions: { Inc: { enabled: (s) => s.x < 3, next: (s) => { s.x++; } } },
          constraint: (s) => s.x < 1,
          temporal: { ReachesOne: { alwaysEventually: (s) => s.x === 1 } },
          fairness: { weak: ['Inc'] },
        }),
    });
  it("counts a choice whose successor leaves the constraint as enabled by default ('action')", () => {
    const r = check(instantiate(fair()), { deadlock: false });
    expect(r.status).toBe('ok');
    expect(check(instantiate(fair('action')), { deadlock: false }).status).toBe('ok');
  });
  it("keeps the old reading as enabledness 'explored' (option or spec)", () => {
    const r = check(instantiate(fair()), { deadlock: false, enabledness: 'explored' });
    expect(r.status === 'violation' && r.violation.kind).toBe('liveness');
    const s = check(instantiate(fair('explored')), { deadlock: false });
    expect(s.status === 'violation' && s.violation.name).toBe('ReachesOne');
  });
  it('the graph expansion sees the same successors as Successors.enabled', () => {
    const succ = new Successors(instantiate(fair()));
    expect(succ.enabled({ x: 0 })).toEqual([0]);
    expect(succ.enabledActions({ x: 3 })).toEqual([]);
    expect([...succ.successors({ x: 0 })].map((e) => [e.label, e.state.x])).toEqual([['Inc', 1]]);
  });
});

describe('Successors: the plain-state API that random walks build on', () => {
  const s = defineSpec({
    name: 'Walk',
    setup: () =>
      model({
        state: t.record({ x: t.int(0, 3) }),
        init: { x: 0 },
        actions: {
          Add: { params: [1, 2], enabled: (st, d) => st.x + d <= 3, next: (st, d) => { st.x += d; } },
          Reset: { enabled: (st) => st.x > 0, next: (st) => { st.x = 0; } },
        },
        invariants: { NotThree: (st) => st.x !== 3 },
        properties: { NoReset: (_b, _a, step) => step.action !== 'Reset' },
        constraint: (st) => st.x < 3,
      }),
  });
  for (const engine of ['fast', 'immer'] as const) {
    it(`gives events in choice order with parameter index and label (${engine})`, () => {
      const succ = new Successors(instantiate(s), { engine });
      const ev = [...succ.successors({ x: 1 })];
      expect(ev.map((e) => [e.action, e.paramIndex, e.param, e.label, e.state.x])).toEqual([
        ['Add', 0, 1, 'Add(1)', 2],
        ['Add', 1, 2, 'Add(2)', 3],
        ['Reset', 0, undefined, 'Reset', 0],
      ]);
      expect(succ.step({ x: 3 }, 0)).toBeUndefined();
      expect(succ.enabledActions({ x: 3 })).toEqual(['Reset']);
      expect(succ.invariantsOn({ x: 3 })).toBe(0);
      expect(succ.invariantsOn({ x: 2 })).toBe(-1);
      expect(succ.propertiesOn({ x: 1 }, { x: 0 }, 2)).toBe(0);
      expect(succ.propertiesOn({ x: 1 }, { x: 2 }, 0)).toBe(-1);
      expect(succ.typeError({ x: 4 })).toMatch(/x/);
      expect(succ.typeError({ x: 2 })).toBeUndefined();
      expect(succ.inConstraint({ x: 3 })).toBe(false);
    });
  }
  it('expands a packed state into the batch the searches read', () => {
    const succ = new Successors(instantiate(s), { invariants: ['NotThree'] });
    expect(succ.initial(0).kind).toBe('ok');
    const b = succ.expand(succ.initWords, 0);
    expect([b.n, b.generated, b.stop]).toEqual([2, 2, undefined]);
    expect([...b.choice.subarray(0, b.n)]).toEqual([0, 1]);
    expect([...b.kept.subarray(0, b.n)]).toEqual([1, 1]);
    // From x = 1: Add(2) leaves the constraint (kept 0), Reset breaks no checked property here.
    succ.layout.encode({ x: 1 }, succ.initWords, 0);
    const c = succ.expand(succ.initWords, 0);
    expect([c.n, [...c.kept.subarray(0, c.n)]]).toEqual([3, [1, 0, 1]]);
  });
});

describe('ConstValues: the values setup() receives', () => {
  it('widens a default to its type, keeps a list of values, adds what load returns', () => {
    const C = {
      NAME: { default: 'reference', doc: 'any string, even declared as const' },
      MODE: { default: 'a', values: ['a', 'b'] },
      N: { default: 2, min: 1 },
      FLAG: false,
      FILE: { default: 'x', load: async (v: string): Promise<{ file: string } | undefined> => (v.endsWith('.json') ? { file: v } : undefined) },
    } as const;
    expectTypeOf<ConstValues<typeof C>>().toEqualTypeOf<{
      readonly NAME: string;
      readonly MODE: 'a' | 'b';
      readonly N: number;
      readonly FLAG: boolean;
      readonly FILE: string | { file: string };
    }>();
    defineSpec({
      name: 'Inferred',
      constants: { K: { default: 'abc' }, L: { default: 'p', values: ['p', 'q'] as const } },
      setup: (c) => {
        expectTypeOf(c).toEqualTypeOf<{ readonly K: string; readonly L: 'p' | 'q' }>();
        return model({ state: t.record({ x: t.bool() }), init: [{ x: false }], actions: { A: { next: () => {} } } });
      },
    });
  });
});
