// Trace validation (as TLC validates a recorded trace against a spec): given a log — a
// sequence of observations of a real run — and a matching function, decide whether the spec
// can produce the log. A log shows only some of the steps (the calls a program made, never
// the hidden state behind them), so the search keeps every model state consistent with the
// log so far: breadth first over (model state, log position), with
//  - the model's nondeterminism: every matching successor is kept;
//  - unobserved steps: actions the observer calls hidden may run between two observations,
//    at most `maxHidden` in a row;
//  - compound steps: one step may account for several consecutive observations;
//  - stuttering: an observation the observer says needs no step (a second chunk of one read);
//  - observations the model does not know: counted, kept in the result, skipped.
// States are deduplicated per position by fingerprint (the spec's view, if any), and each
// kept node points to its parent so that a witness run of the model can be printed.
//
// It is a strategy over the one successor component: it calls Successors' `step`, `event`,
// `fingerprint`, `invariantsOn` and `propertiesOn`, never an action's guard or recipe itself.
// Named validate.ts (replayLog) so as not to be confused with trace.ts's replay(), which
// rebuilds a counterexample from a path of choices.

import type { Successors, Event } from './successors.js';

/** How a spec's steps are seen in the log. The checker knows nothing else of the log's meaning. */
export interface Observer<S, O> {
  /** Whether an action is never observed (it may run between observations). */
  hidden(action: string): boolean;
  /** Whether an action could be the step behind observation `o` (a cheap filter before `match`). */
  candidate?(action: string, o: O): boolean;
  /** How many observations, starting at log[i], the step accounts for (0: it does not match log[i]). */
  match(ev: Event<S>, before: S, log: readonly O[], i: number): number;
  /** Whether the step makes the same call as log[i] with another result (a "near miss", to explain a departure). */
  related?(ev: Event<S>, before: S, o: O): boolean;
  /** Why the model cannot know observation o at all (then it is skipped and counted), or undefined. */
  unknown?(o: O): string | undefined;
  /** Whether log[i] may be seen without a step of the model (it continues the previous observation). */
  stutter?(log: readonly O[], i: number): boolean;
  /** At the end of the log: what state s still owes (empty: s may end the run here). */
  owed?(s: S): readonly string[];
}

export interface ValidateOptions {
  /** Hidden steps allowed between two observations (default 8). */
  maxHidden?: number;
  /** Stop (incomplete) when a position keeps more than this many states (default 100,000). */
  maxStates?: number;
}

/** A step of a trace, as migcheck's own traces record it (JSON report, ITF `#meta`). */
export interface LabelledStep {
  readonly action: string;
  readonly label: string;
}

/**
 * The observer for a trace that records every step (a counterexample migcheck printed, read
 * back from its JSON or ITF form): a step matches when its action and label are the ones
 * recorded; nothing is hidden. Works for any spec.
 */
export function labelObserver<S>(): Observer<S, LabelledStep> {
  return {
    hidden: () => false,
    candidate: (action, o) => action === o.action,
    match: (ev, _b, log, i) => (ev.action === log[i].action && ev.label === log[i].label ? 1 : 0),
    related: (ev, _b, o) => ev.action === o.action,
  };
}

/** One step of the witness: the model's step and the observations it accounts for. */
export interface WitnessStep<S> {
  /** 'Init', or the action's name; 'skip' and 'stutter' for observations without a step. */
  readonly action: string;
  readonly label: string;
  readonly state: S;
  /** Log indexes this step accounts for: [from, to) (from === to for a hidden step). */
  readonly from: number;
  readonly to: number;
  readonly hidden: boolean;
}

export interface Skipped<O> {
  readonly index: number;
  readonly observation: O;
  readonly reason: string;
}

/** A property the matched step broke. */
export interface Broken {
  readonly kind: 'invariant' | 'property';
  readonly name: string;
  readonly doc?: string;
  readonly clause?: string;
  readonly level?: string;
}

export interface ReplayStats {
  /** Model states kept, over all positions. */
  readonly states: number;
  /** Successors computed. */
  readonly generated: number;
  /** The most states kept at one position. */
  readonly widest: number;
  readonly seconds: number;
}

export type ReplayVerdict<S, O> =
  /** Some run of the model produces the log. `actions` counts the witness's steps by action. */
  | {
      readonly kind: 'conforms';
      readonly observations: number;
      readonly skipped: readonly Skipped<O>[];
      readonly witness: readonly WitnessStep<S>[];
      readonly actions: Readonly<Record<string, number>>;
      readonly checked: readonly Broken[];
      readonly stats: ReplayStats;
    }
  /**
   * No run produces log[0..index]: `allowed` are the labels of the observable steps the
   * model had instead (from every state consistent with log[0..index-1]), `near` those that
   * make the same call with another result, `broken` the property a matching step breaks.
   */
  | {
      readonly kind: 'departs';
      readonly index: number;
      readonly observation: O;
      readonly allowed: readonly string[];
      readonly near: readonly string[];
      readonly broken?: Broken;
      /** The states consistent with the log before `index` (at most `MAX_SHOWN`). */
      readonly states: readonly S[];
      readonly witness: readonly WitnessStep<S>[];
      readonly skipped: readonly Skipped<O>[];
      readonly stats: ReplayStats;
    }
  /** The log is consistent with the model but ends where every consistent state still owes something. */
  | {
      readonly kind: 'incomplete';
      readonly observations: number;
      readonly owed: readonly string[];
      readonly witness: readonly WitnessStep<S>[];
      readonly skipped: readonly Skipped<O>[];
      readonly stats: ReplayStats;
    }
  /** The search could not decide: too many states at one position, or the spec threw. */
  | {
      readonly kind: 'error';
      readonly index: number;
      readonly message: string;
      readonly skipped: readonly Skipped<O>[];
      readonly stats: ReplayStats;
    };

/** How many states and labels a departure shows at most. */
export const MAX_SHOWN = 12;

interface Node {
  readonly words: Uint32Array;
  readonly parent: Node | undefined;
  readonly action: string;
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly hidden: number;
}

/**
 * Replays a log against the spec behind `succ`. The log is one totally ordered sequence (the
 * caller splits a multi-device log into one log per model instance).
 */
export function replayLog<S, O>(succ: Successors<S>, observer: Observer<S, O>, log: readonly O[], opts: ValidateOptions = {}): ReplayVerdict<S, O> {
  const t0 = performance.now();
  const maxHidden = opts.maxHidden ?? 8;
  const maxStates = opts.maxStates ?? 100_000;
  const inst = succ.inst;
  const W = succ.W;
  const names = inst.actions.map((a) => a.name);
  const choiceAction = inst.choices.map((c) => c.action);
  const hiddenAction = names.map((n) => observer.hidden(n));
  const hiddenChoices: number[] = [];
  const shownChoices: number[] = [];
  choiceAction.forEach((a, c) => (hiddenAction[a] ? hiddenChoices : shownChoices).push(c));
  const skipped: Skipped<O>[] = [];
  let generated = 0;
  let kept = 0;
  let widest = 0;
  const stats = (): ReplayStats => ({ states: kept, generated, widest, seconds: (performance.now() - t0) / 1000 });
  const fp = new Uint32Array(2);

  const pack = (s: S): Uint32Array => {
    const w = new Uint32Array(W);
    if (!succ.layout.encode(s, w, 0)) throw new Error(`a state is outside the schema: ${succ.typeError(s)}`);
    return w;
  };
  const keyOf = (s: S, w: Uint32Array): string => {
    succ.fingerprint(s, w, 0, fp);
    return `${fp[0]}:${fp[1]}`;
  };

  // buckets[i]: the nodes that have accounted for log[0..i), by fingerprint.
  const buckets = new Map<number, Map<string, Node>>();
  const add = (i: number, key: string, n: Node): void => {
    let b = buckets.get(i);
    if (!b) buckets.set(i, (b = new Map()));
    if (!b.has(key)) {
      b.set(key, n);
      kept++;
    }
  };

  const checks: Broken[] = [
    ...succ.invariants.map((c) => ({ kind: 'invariant' as const, name: c.name, doc: c.doc, clause: c.clause, level: c.level })),
    ...succ.properties.map((c) => ({ kind: 'property' as const, name: c.name, doc: c.doc, clause: c.clause, level: c.level })),
  ];

  try {
    for (let i = 0; i < inst.init.length; i++) {
      const s0 = inst.init[i];
      if (!succ.inConstraint(s0)) continue;
      const w = pack(s0);
      add(0, keyOf(s0, w), { words: w, parent: undefined, action: 'Init', label: 'Init', from: 0, to: 0, hidden: 0 });
    }
  } catch (e) {
    return { kind: 'error', index: 0, message: `initial state: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
  }

  let last: Node[] = [];
  for (let i = 0; i <= log.length; i++) {
    const bucket = buckets.get(i);
    buckets.delete(i);
    if (!bucket || bucket.size === 0) continue;
    // The hidden steps: breadth first from the nodes at position i, at most maxHidden deep.
    const nodes: Node[] = [...bucket.values()];
    try {
      for (let k = 0; k < nodes.length; k++) {
        const n = nodes[k];
        if (n.hidden >= maxHidden) continue;
        const s = succ.decode(n.words, 0);
        for (const c of hiddenChoices) {
          const t = succ.step(s, c);
          if (t === undefined) continue;
          generated++;
          // A hidden step that breaks a property is no run of a conforming model: not kept.
          if (succ.propertiesOn(s, t, c) >= 0 || succ.invariantsOn(t) >= 0 || !succ.inConstraint(t)) continue;
          const w = pack(t);
          const key = keyOf(t, w);
          if (bucket.has(key)) continue;
          const ev = succ.event(c, s, t);
          const m: Node = { words: w, parent: n, action: ev.action, label: ev.label, from: i, to: i, hidden: n.hidden + 1 };
          bucket.set(key, m);
          kept++;
          nodes.push(m);
        }
        if (bucket.size > maxStates) return { kind: 'error', index: i, message: `more than ${maxStates} model states are consistent with the log up to event ${i} (raise maxStates, or lower maxHidden)`, skipped, stats: stats() };
      }
    } catch (e) {
      return { kind: 'error', index: i, message: `a hidden step threw: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
    }
    widest = Math.max(widest, nodes.length);
    if (i === log.length) {
      last = nodes;
      break;
    }

    const o = log[i];
    const why = observer.unknown?.(o);
    if (why !== undefined) {
      skipped.push({ index: i, observation: o, reason: why });
      // Every node moves on unchanged; hidden steps may continue after the skipped event.
      for (const n of nodes) add(i + 1, `${n.words.join(',')}`, { ...n, parent: n, action: 'skip', label: why, from: i, to: i + 1, hidden: n.hidden });
      continue;
    }
    const stutters = observer.stutter?.(log, i) ?? false;
    let broken: Broken | undefined;
    let moved = false;
    try {
      for (const n of nodes) {
        const s = succ.decode(n.words, 0);
        if (stutters) {
          add(i + 1, keyOf(s, n.words), { words: n.words, parent: n, action: 'stutter', label: 'continues the previous call', from: i, to: i + 1, hidden: 0 });
          moved = true;
        }
        for (const c of shownChoices) {
          if (observer.candidate && !observer.candidate(names[choiceAction[c]], o)) continue;
          const t = succ.step(s, c);
          if (t === undefined) continue;
          generated++;
          const ev = succ.event(c, s, t);
          const used = observer.match(ev, s, log, i);
          if (used <= 0) continue;
          // Action properties first, as the search judges a transition before its new state.
          const prop = succ.propertiesOn(s, t, c);
          const inv = prop < 0 ? succ.invariantsOn(t) : -1;
          if (inv >= 0 || prop >= 0) {
            broken ??= prop >= 0 ? checks[succ.invariants.length + prop] : checks[inv];
            continue;
          }
          if (!succ.inConstraint(t)) continue;
          const w = pack(t);
          add(i + used, keyOf(t, w), { words: w, parent: n, action: ev.action, label: ev.label, from: i, to: i + used, hidden: 0 });
          moved = true;
        }
      }
    } catch (e) {
      return { kind: 'error', index: i, message: `matching event ${i} threw: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
    }
    // A departure is only certain when no node at any later position survives.
    if (!moved && ![...buckets.keys()].some((k) => k > i)) {
      const states = nodes.slice(0, MAX_SHOWN).map((n) => succ.decode(n.words, 0));
      const allowed = new Set<string>();
      const near = new Set<string>();
      for (const n of nodes) {
        const s = succ.decode(n.words, 0);
        for (const c of shownChoices) {
          const t = succ.step(s, c);
          if (t === undefined) continue;
          const ev = succ.event(c, s, t);
          if (allowed.size < MAX_SHOWN) allowed.add(ev.label);
          if (near.size < MAX_SHOWN && observer.related?.(ev, s, o)) near.add(ev.label);
        }
      }
      return {
        kind: 'departs', index: i, observation: o, allowed: [...allowed], near: [...near], broken, states,
        witness: witness(succ, nodes[0]), skipped, stats: stats(),
      };
    }
  }

  if (last.length === 0) return { kind: 'error', index: 0, message: 'no initial state of the spec is inside its constraint', skipped, stats: stats() };
  // The log ended: a node that owes nothing is a run the log may be the whole of.
  let bestOwed: readonly string[] | undefined;
  let bestNode = last[0];
  for (const n of last) {
    const owed = observer.owed?.(succ.decode(n.words, 0)) ?? [];
    if (owed.length === 0) {
      const w = witness(succ, n);
      const actions: Record<string, number> = {};
      for (const st of w) if (st.action !== 'Init') actions[st.action] = (actions[st.action] ?? 0) + 1;
      return { kind: 'conforms', observations: log.length, skipped, witness: w, actions, checked: checks, stats: stats() };
    }
    if (bestOwed === undefined || owed.length < bestOwed.length) {
      bestOwed = owed;
      bestNode = n;
    }
  }
  return { kind: 'incomplete', observations: log.length, owed: bestOwed ?? [], witness: witness(succ, bestNode), skipped, stats: stats() };
}

/** The model's run to node n, from an initial state (walking the parent pointers back). */
function witness<S>(succ: Successors<S>, n: Node | undefined): WitnessStep<S>[] {
  const out: WitnessStep<S>[] = [];
  for (let m = n; m; m = m.parent) out.push({ action: m.action, label: m.label, state: succ.decode(m.words, 0), from: m.from, to: m.to, hidden: m.from === m.to && m.action !== 'Init' });
  return out.reverse();
}
