import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, model, t, SpecError, type CheckOptions, type CheckResult } from '../../checker/index.js';
import { applyOverlay, overlayPaths } from '../../checker/store/overlay.js';
import { compileLayout } from '../../checker/store/layout.js';

const run = (spec: Parameters<typeof instantiate>[0], opts: CheckOptions = {}) => check(instantiate(spec), opts);
const counts = (r: CheckResult) => ({ status: r.status, distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth });

/**
 * A device that is idle or loading; loading fills slots of `buf` and counts `writes`. Outside
 * loading, `buf` and `writes` are history the view blanks (as the VFIO model's destination).
 */
const loader = (view: 'overlay' | 'of' | 'none', over: { badOverlay?: unknown } = {}) => {
  const state = t.record({
    dev: t.record({ mode: t.enum(['idle', 'loading']), buf: t.array(t.int(-1, 2), 2), writes: t.int(0, 3) }),
    held: t.bool(),
  });
  type S = { dev: { mode: 'idle' | 'loading'; buf: number[]; writes: number }; held: boolean };
  const blank = over.badOverlay ?? { dev: { buf: [-1, -1], writes: 0 } };
  const views = {
    overlay: { overlay: (s: S) => (s.dev.mode === 'loading' ? undefined : blank) },
    of: { state, of: (s: S) => (s.dev.mode === 'loading' ? s : { ...s, dev: { ...s.dev, buf: [-1, -1], writes: 0 } }) },
    none: undefined,
  };
  return defineSpec({
    name: 'Loader',
    setup: () => model({
      state,
      init: { dev: { mode: 'idle', buf: [-1, -1], writes: 0 }, held: false },
      actions: {
        Start: { enabled: (s) => s.dev.mode === 'idle', next: (s) => { s.dev.mode = 'loading'; s.dev.buf = [-1, -1]; s.dev.writes = 0; } },
        Write: {
          params: [0, 1],
          enabled: (s, slot) => s.dev.mode === 'loading' && s.dev.writes < 3,
          next: (s, slot) => { s.dev.buf[slot] = Math.min(2, s.dev.buf[slot] + 1); s.dev.writes++; },
        },
        Stop: { enabled: (s) => s.dev.mode === 'loading', next: (s) => { s.dev.mode = 'idle'; } },
        Hold: { next: (s) => { s.held = !s.held; } },
      },
      ...(views[view] ? { view: views[view] as never } : {}),
    }),
  });
};

describe('overlay views', () => {
  it('give the counts and depth of the same view written as a function', () => {
    const byOverlay = run(loader('overlay'));
    const byFunction = run(loader('of'));
    expect(byOverlay.status).toBe('ok');
    expect(counts(byOverlay)).toEqual(counts(byFunction));
    // The view merges states: fewer distinct states than without it.
    expect(byOverlay.stats.distinct).toBeLessThan(run(loader('none')).stats.distinct);
  });

  it('give the same counts under the immer engine (which applies the overlay to an object)', () => {
    expect(counts(run(loader('overlay'), { engine: 'immer' }))).toEqual(counts(run(loader('overlay'))));
  });

  it('report an overlay that names a field the state lacks as an evaluation error in the view', () => {
    const r = run(loader('overlay', { badOverlay: { dev: { bogus: 1 } } }));
    expect(r.status).toBe('error');
    if (r.status === 'error') {
      expect(r.error.phase).toBe('view');
      expect(JSON.stringify(r.error)).toMatch(/dev\.bogus/);
    }
  });

  it('report an overlay value outside the schema as an evaluation error in the view', () => {
    const r = run(loader('overlay', { badOverlay: { dev: { writes: 9 } } }));
    expect(r.status).toBe('error');
    if (r.status === 'error') expect(r.error.phase).toBe('view');
  });

  it('refuse a view that mixes an overlay with its own schema', () => {
    const spec = defineSpec({
      name: 'Mixed',
      setup: () => model({ state: t.int(0, 1), init: 0, actions: { A: { next: (s) => s } }, view: { state: t.int(0, 1), of: (s: number) => s, overlay: () => undefined } as never }),
    });
    expect(() => instantiate(spec)).toThrow(SpecError);
  });

  it('apply as partial records: fields given as objects are partial, other values replace the field', () => {
    expect(applyOverlay({ a: { x: 1, y: [1, 2] }, b: 3 }, { a: { y: [0, 0] } })).toEqual({ a: { x: 1, y: [0, 0] }, b: 3 });
    const s = { a: 1 };
    expect(applyOverlay(s, undefined)).toBe(s);
    const schema = t.record({ a: t.record({ x: t.int(0, 1), y: t.array(t.int(0, 2), 2) }), b: t.int(0, 3) });
    expect(overlayPaths(schema, { a: { y: [0, 0] }, b: 1 })).toEqual({ paths: ['a.y', 'b'] });
    expect(overlayPaths(schema, { c: 1 })).toEqual({ error: expect.stringMatching(/c, which is not a field/) });
  });

  it('mask exactly the bits of the fields under a path', () => {
    const schema = t.record({ a: t.record({ x: t.int(0, 1), y: t.array(t.int(0, 2), 2) }), ab: t.int(0, 3) });
    const l = compileLayout(schema);
    const w = new Uint32Array(l.words);
    l.encode({ a: { x: 1, y: [2, 2] }, ab: 3 } as never, w, 0);
    const all = Array.from(w);
    const maskA = l.fieldMask(['a']);
    const maskAb = l.fieldMask(['ab']);
    // `a` does not cover `ab` (a sibling whose name starts the same), and the two cover everything set.
    expect(Array.from(maskA, (m, i) => m & maskAb[i])).toEqual(all.map(() => 0));
    expect(Array.from(maskA, (m, i) => (m | maskAb[i]) & all[i])).toEqual(all);
    expect(Array.from(l.fieldMask(['a.y[1]']), (m, i) => m & ~maskA[i])).toEqual(all.map(() => 0));
  });
});

describe('action properties scoped by actions', () => {
  const spec = (scope: readonly string[] | undefined, calls: string[] = []) => defineSpec({
    name: 'Scoped',
    setup: () => model({
      state: t.record({ x: t.int(0, 3), y: t.int(0, 3) }),
      init: { x: 0, y: 0 },
      actions: {
        IncX: { enabled: (s) => s.x < 3, next: (s) => { s.x++; } },
        IncY: { enabled: (s) => s.y < 3, next: (s) => { s.y++; } },
      },
      terminal: (s) => s.x === 3 && s.y === 3,
      properties: {
        // False on every IncY step: it holds only because IncY steps are not judged.
        YNeverMoves: {
          ...(scope ? { actions: scope } : {}),
          check: (b, a, st) => {
            calls.push(st.action);
            return a.y === b.y;
          },
        },
      },
    }),
  });

  it('are judged only on the steps of their actions', () => {
    const calls: string[] = [];
    const r = run(spec(['IncX'], calls));
    expect(r.status).toBe('ok');
    expect(new Set(calls)).toEqual(new Set(['IncX']));
  });

  it('are judged on every step without actions', () => {
    const r = run(spec(undefined));
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect(r.violation.trace.at(-1)!.label).toMatch(/IncY/);
  });

  it('hold on other steps under the immer engine and in trace replay too', () => {
    expect(run(spec(['IncX']), { engine: 'immer' }).status).toBe('ok');
    const inst = instantiate(spec(['IncX']));
    const p = inst.properties[0];
    expect(p.actions).toEqual([0]);
    expect(p.check({ x: 0, y: 0 }, { x: 0, y: 1 }, { action: 'IncY', param: undefined })).toBe(true);
    expect(p.check({ x: 0, y: 0 }, { x: 0, y: 1 }, { action: 'IncX', param: undefined })).toBe(false);
  });

  it('refuse an unknown action name with a did-you-mean', () => {
    expect(() => instantiate(spec(['IncZ']))).toThrow(/unknown action 'IncZ'.*did you mean/);
  });
});
