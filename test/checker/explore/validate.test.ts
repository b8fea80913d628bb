// Trace validation (replayLog) on a spec that knows nothing of VFIO: the water jugs, observed
// through the big jug only. The small jug's own steps (filling, emptying) are hidden.
import { describe, it, expect } from 'vitest';
import { defineSpec, model, t, instantiate, Successors, replayLog, labelObserver, type Observer } from '../../../checker/index.js';

const jugs = defineSpec({
  name: 'Jugs',
  doc: 'DieHard, for replay tests',
  constants: { GOAL: { default: 4, min: 0, max: 9 } },
  setup: ({ GOAL }) => model({
    state: t.record({ small: t.int(0, 3), big: t.int(0, 5) }),
    init: { small: 0, big: 0 },
    actions: {
      FillSmall: { next: (s) => { s.small = 3; } },
      FillBig: { next: (s) => { s.big = 5; } },
      EmptySmall: { next: (s) => { s.small = 0; } },
      EmptyBig: { next: (s) => { s.big = 0; } },
      SmallToBig: { next: (s) => { const p = Math.min(s.small, 5 - s.big); s.small -= p; s.big += p; } },
      BigToSmall: { next: (s) => { const p = Math.min(s.big, 3 - s.small); s.big -= p; s.small += p; } },
    },
    invariants: { BigNotGoal: { check: (s) => s.big !== GOAL, doc: 'the big jug never holds GOAL gallons' } },
  }),
  expect: [],
});

type Jugs = { small: number; big: number };
const succOf = (goal: number) => new Successors(instantiate(jugs, { GOAL: goal }) as never) as Successors<Jugs>;

/** Observes each step that touches the big jug, as `Action:gallons in the big jug`; the small jug's own steps are hidden. */
const bigJug = (extra: Partial<Observer<Jugs, string>> = {}): Observer<Jugs, string> => ({
  hidden: (a) => a === 'FillSmall' || a === 'EmptySmall',
  match: (ev, log, i) => (`${ev.action}:${ev.state.big}` === log[i] ? 1 : 0),
  related: () => true,
  ...extra,
});

// The known solution: FillBig, BigToSmall, EmptySmall (hidden), BigToSmall, FillBig, BigToSmall.
const SOLUTION = ['FillBig:5', 'BigToSmall:2', 'BigToSmall:0', 'FillBig:5', 'BigToSmall:4'];

describe('replayLog', () => {
  it('finds the run behind the observations, hidden steps included, and names the invariant its last step breaks', () => {
    const v = replayLog(succOf(4), bigJug(), SOLUTION);
    expect(v.kind).toBe('departs');
    if (v.kind !== 'departs') return;
    expect(v.index).toBe(4);
    expect(v.broken).toMatchObject({ kind: 'invariant', name: 'BigNotGoal' });
    expect(v.witness.map((w) => w.action)).toEqual(['Init', 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig']);
    expect(v.witness.find((w) => w.action === 'EmptySmall')?.hidden).toBe(true);
  });

  it('conforms when no step breaks anything, with the witness run and what it checked', () => {
    const v = replayLog(succOf(9), bigJug(), SOLUTION);
    expect(v.kind).toBe('conforms');
    if (v.kind !== 'conforms') return;
    expect(v.witness.at(-1)?.state).toEqual({ small: 3, big: 4 });
    expect(v.actions).toEqual({ FillBig: 2, BigToSmall: 3, EmptySmall: 1 });
    expect(v.checked.map((c) => c.name)).toEqual(['BigNotGoal']);
  });

  it('departs where the hidden steps allowed are too few, listing what the model allowed instead', () => {
    const v = replayLog(succOf(9), bigJug(), SOLUTION, { maxHidden: 0 });
    expect(v.kind).toBe('departs');
    if (v.kind !== 'departs') return;
    expect(v.index).toBe(2);
    expect(v.observation).toBe('BigToSmall:0');
    expect(v.broken).toBeUndefined();
    expect(v.allowed).toContain('EmptyBig');
    expect(v.states).toEqual([{ small: 3, big: 2 }]);
  });

  it('keeps every state the observations allow (nondeterminism) and decides by the later ones', () => {
    // After FillBig the small jug may have been filled unseen: both states are kept until BigToSmall:2 rules one out.
    const v = replayLog(succOf(9), bigJug(), ['FillBig:5', 'BigToSmall:2']);
    expect(v.kind).toBe('conforms');
    expect(v.stats.widest).toBeGreaterThan(1);
  });

  it('counts, keeps and skips observations the model does not know', () => {
    const v = replayLog(succOf(9), bigJug({ unknown: (o) => (o.startsWith('temp') ? 'a thermometer reading' : undefined) }), ['FillBig:5', 'temp:12', 'BigToSmall:2']);
    expect(v.kind).toBe('conforms');
    expect(v.skipped).toEqual([{ index: 1, observation: 'temp:12', reason: 'a thermometer reading' }]);
  });

  it('lets one step account for two consecutive observations (a compound step)', () => {
    // FillBig is logged as two lines: the tap opened, then the reading.
    const twice: Observer<Jugs, string> = bigJug({
      match: (ev, log, i) => (ev.action === 'FillBig' ? (log[i] === 'tap' && log[i + 1] === 'FillBig:5' ? 2 : 0) : `${ev.action}:${ev.state.big}` === log[i] ? 1 : 0),
    });
    const v = replayLog(succOf(9), twice, ['tap', 'FillBig:5', 'BigToSmall:2']);
    expect(v.kind).toBe('conforms');
    if (v.kind !== 'conforms') return;
    expect(v.witness[1]).toMatchObject({ action: 'FillBig', from: 0, to: 2 });
  });

  it('lets an observation stand without a step when the observer says it continues the previous one', () => {
    // Only a first reading of 5 is a step (FillBig); a repeated reading is the same fill seen again.
    const firstFill: Observer<Jugs, string> = bigJug({ match: (ev, log, i) => (ev.action === 'FillBig' && log[i] === 'FillBig:5' && log[i - 1] !== log[i] ? 1 : 0) });
    expect(replayLog(succOf(9), firstFill, ['FillBig:5', 'FillBig:5']).kind).toBe('departs');
    const v = replayLog(succOf(9), { ...firstFill, stutter: (log, i) => (i > 0 && log[i] === log[i - 1] ? 'the same reading again' : undefined) }, ['FillBig:5', 'FillBig:5', 'FillBig:5']);
    expect(v.kind).toBe('conforms');
    if (v.kind === 'conforms') expect(v.witness.map((w) => w.action)).toEqual(['Init', 'FillBig', 'stutter', 'stutter']);
  });

  it('is incomplete when every consistent state still owes something at the end of the log', () => {
    const v = replayLog(succOf(9), bigJug({ owed: (s) => (s.big > 0 ? ['empty the big jug'] : []) }), ['FillBig:5', 'BigToSmall:2']);
    expect(v).toMatchObject({ kind: 'incomplete', owed: ['empty the big jug'] });
  });

  it('replays a recorded trace step by step with labelObserver, departing at the step that breaks an invariant', () => {
    const steps = ['FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall'].map((a) => ({ action: a, label: a }));
    const v = replayLog(succOf(4), labelObserver<Jugs>(), steps);
    expect(v).toMatchObject({ kind: 'departs', index: 5, broken: { name: 'BigNotGoal' } });
    const ok = replayLog(succOf(4), labelObserver<Jugs>(), steps.slice(0, 5));
    expect(ok.kind).toBe('conforms');
  });

  it('stops undecided rather than keep more states than allowed at one position', () => {
    const v = replayLog(succOf(9), { ...bigJug(), hidden: () => true }, ['FillBig:5'], { maxStates: 3 });
    expect(v.kind).toBe('error');
  });

  describe('on a long log that repeats itself', () => {
    // The small jug's hidden steps keep several states consistent at every position; the same
    // few states come back every two observations, so frames are reused.
    const cycle = Array.from({ length: 400 }, () => ['FillBig:5', 'EmptyBig:0']).flat();
    const counting = (extra: Partial<Observer<Jugs, string>> = {}) => {
      let asked = 0;
      const base = bigJug({ key: (log, i) => `${log[i - 1]}|${log[i]}`, ...extra });
      const observer: Observer<Jugs, string> = { ...base, match: (ev, log, i) => (asked++, base.match(ev, log, i)) };
      return { observer, asked: () => asked };
    };
    const both = (log: string[], extra: Partial<Observer<Jugs, string>> = {}) => {
      const on = counting(extra);
      const off = counting(extra);
      const a = replayLog(succOf(9), on.observer, log);
      const b = replayLog(succOf(9), off.observer, log, { memo: false });
      return { a, b, askedOn: on.asked(), askedOff: off.asked() };
    };
    const shape = (v: ReturnType<typeof replayLog<Jugs, string>>) => ({
      kind: v.kind,
      index: 'index' in v ? v.index : undefined,
      witness: 'witness' in v ? v.witness.map((w) => `${w.action}:${w.from}-${w.to}:${w.state.small}/${w.state.big}`) : undefined,
      states: v.stats.states,
      widest: v.stats.widest,
    });

    it('gives the same verdict and witness with and without reusing frames, asking the observer far less', () => {
      const { a, b, askedOn, askedOff } = both([...cycle, 'FillBig:5', 'BigToSmall:2']);
      expect(a.kind).toBe('conforms');
      expect(shape(a)).toEqual(shape(b));
      if (a.kind === 'conforms') expect(a.witness.length).toBeGreaterThan(cycle.length);
      expect(askedOn * 10).toBeLessThan(askedOff);
    });

    it('departs at the same event with the same witness with and without reusing frames', () => {
      // After EmptyBig the big jug is empty: pouring it into the small one leaves 0, never 1.
      const { a, b } = both([...cycle, 'BigToSmall:1']);
      expect(a).toMatchObject({ kind: 'departs', index: cycle.length });
      expect(shape(a)).toEqual(shape(b));
      if (a.kind === 'departs' && b.kind === 'departs') expect(a.allowed).toEqual(b.allowed);
    });

    it('reuses frames across stuttering observations too', () => {
      const firstFill = { match: (ev: { action: string }, log: readonly string[], i: number) => (ev.action === 'FillBig' && log[i] === 'FillBig:5' && log[i - 1] !== log[i] ? 1 : ev.action === 'EmptyBig' && log[i] === 'EmptyBig:0' ? 1 : 0), stutter: (log: readonly string[], i: number) => (i > 0 && log[i] === log[i - 1] ? 'the same reading again' : undefined) };
      const log = Array.from({ length: 300 }, () => ['FillBig:5', 'FillBig:5', 'EmptyBig:0']).flat();
      const { a, b } = both(log, firstFill as Partial<Observer<Jugs, string>>);
      expect(a.kind).toBe('conforms');
      expect(shape(a)).toEqual(shape(b));
    });

    it('reuses frames for a recorded trace read with labelObserver, with the same departure', () => {
      const steps = [...Array.from({ length: 300 }, () => ['FillBig', 'EmptyBig']).flat(), 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall'].map((a) => ({ action: a, label: a }));
      const a = replayLog(succOf(4), labelObserver<Jugs>(), steps);
      const b = replayLog(succOf(4), labelObserver<Jugs>(), steps, { memo: false });
      expect(a).toMatchObject({ kind: 'departs', index: steps.length - 1, broken: { name: 'BigNotGoal' } });
      expect(a.kind === 'departs' && b.kind === 'departs' && a.witness.length === b.witness.length && a.index === b.index).toBe(true);
    });
  });
});
