// Batch.loop (checker/explore/successors.ts): a successor with its parent's fingerprint is
// marked, and the searches skip looking it up (its state is seen, as its parent is). The
// marks are checked here on plain states, through an overlay view and under a symmetry; that
// skipping them changes no count is checked by every golden and differential test.
import { describe, expect, it } from 'vitest';
import { defineSpec, model, t, check, instantiate, type Instance } from '../../checker/index.js';
import { Successors } from '../../checker/explore/successors.js';

const HIDDEN_ZERO = { hidden: 0 };
const config = (overlay: boolean) => model({
  state: t.record({ x: t.int(0, 3), hidden: t.int(0, 1) }),
  init: { x: 0, hidden: 0 },
  actions: {
    Stay: { next: () => {} },
    Inc: { enabled: (s) => s.x < 3, next: (s) => { s.x += 1; } },
    Hide: { next: (s) => { s.hidden = 1 - s.hidden; } },
    // Sets x to what it is: the same state by another recipe.
    Same: { next: (s) => { s.x = s.x + 0; } },
  },
  ...(overlay ? { view: { overlay: () => HIDDEN_ZERO } } : {}),
});
const spec = defineSpec({ name: 'Loops', setup: () => config(false) });
const viewed = defineSpec({ name: 'LoopsViewed', setup: () => config(true) });

const Pid = t.enum('p', 'q');
const sym = defineSpec({
  name: 'LoopsSymmetric',
  setup: () => model({
    state: t.record({ at: t.fn(Pid, t.int(0, 1)) }),
    init: { at: { p: 1, q: 0 } },
    symmetry: [Pid],
    actions: {
      // Moves the token from one process to the other: the same orbit.
      Pass: { next: (s) => { [s.at.p, s.at.q] = [s.at.q, s.at.p]; } },
      Drop: { next: (s) => { s.at.p = 0; s.at.q = 0; } },
    },
  }),
});

/** The choices whose successors of the initial state are marked as loops, by action name. */
function loops(inst: Instance<any>, engine: 'fast' | 'immer'): string[] {
  const succ = new Successors(inst, { engine });
  expect(succ.initial(0).kind).toBe('ok');
  const b = succ.expand(succ.initWords, 0);
  const out: string[] = [];
  for (let k = 0; k < b.n; k++) if (b.kept[k] === 1 && b.loop[k] === 1) out.push(inst.actions[inst.choices[b.choice[k]].action].name);
  return out;
}

describe('successors that loop back to their parent', () => {
  for (const engine of ['fast', 'immer'] as const) {
    it(`are marked on plain states (${engine})`, () => {
      expect(loops(instantiate(spec), engine)).toEqual(['Stay', 'Same']);
    });
    it(`are marked through an overlay view: a change the view hides is a loop (${engine})`, () => {
      expect(loops(instantiate(viewed), engine)).toEqual(['Stay', 'Hide', 'Same']);
    });
  }

  for (const engine of ['fast', 'immer'] as const)
    it(`are marked under a symmetry: a successor in its parent's orbit is a loop (${engine})`, () => {
      expect(loops(instantiate(sym), engine)).toEqual(['Pass']);
    });

  it('leave the counts as they were: distinct and generated (loops are generated, not new)', () => {
    const r = check(instantiate(spec));
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(8);
    // The initial state, then Stay, Hide and Same in each of the 8 states and Inc in 6.
    expect(r.stats.generated).toBe(1 + 8 * 3 + 6);
    const v = check(instantiate(viewed));
    expect(v.stats.distinct).toBe(4);
    expect(v.stats.generated).toBe(1 + 4 * 3 + 3);
  });
});
