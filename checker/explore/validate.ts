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
  /** Whether a step (an action with a parameter) is never observed: it may run between observations. */
  hidden(action: string, param: unknown): boolean;
  /** Whether an action could be the step behind observation `o` (a cheap filter before `match`; also what a departure lists as allowed). */
  candidate?(action: string, o: O): boolean;
  /** How many observations, starting at log[i], the step accounts for (0: it does not match log[i]). */
  match(ev: Event<S>, log: readonly O[], i: number): number;
  /** Whether the step makes the same call as log[i] with another result (a "near miss", to explain a departure). */
  related?(ev: Event<S>, o: O): boolean;
  /** Why the model cannot know observation o at all (then it is skipped and counted), or undefined. */
  unknown?(o: O): string | undefined;
  /**
   * Whether an observable step may run unseen before log[i]: log[i-1] already shows it (one
   * observed call standing for several model steps, e.g. a read() that returned several of
   * the model's records), or the log's format cannot show it. Such steps count as hidden steps.
   */
  absorbed?(ev: Event<S>, log: readonly O[], i: number): boolean;
  /** Whether any step may be absorbed before log[i] (a cheap test before `absorbed`, which needs each step's label). */
  absorbing?(log: readonly O[], i: number): boolean;
  /** Why log[i] may be seen without a step of the model (it continues the previous observation, it changes nothing), or undefined. */
  stutter?(log: readonly O[], i: number): string | undefined;
  /** At the end of the log: what state s still owes (empty: s may end the run here). */
  owed?(s: S): readonly string[];
}

export interface ValidateOptions {
  /** Hidden steps allowed between two observations (default 8). */
  maxHidden?: number;
  /** Stop undecided (kind 'error') when a position keeps more than this many states (default 100,000). */
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
    match: (ev, log, i) => (ev.action === log[i].action && ev.label === log[i].label ? 1 : 0),
    related: (ev, o) => ev.action === o.action,
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
  /** Some run of the model produces the log. `actions` counts the witness's model steps by action (skipped and stuttering observations are not steps). */
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

/** One successor of a packed state, computed once per state (a log repeats the same states). */
interface Succ<S> {
  readonly c: number;
  readonly words: Uint32Array;
  readonly key: string;
  readonly hidden: boolean;
  /** Index into the checks of the first one the step breaks, or -1. */
  readonly broken: number;
  readonly outside: boolean;
  /** The event (action, label), computed when first needed. */
  ev: Event<S> | undefined;
}

interface Node {
  readonly words: Uint32Array;
  readonly parent: Node | undefined;
  /** The step that led here (its label is computed for the witness only), or a fixed label. */
  readonly via: Succ<unknown> | { readonly action: string; readonly label: string };
  readonly from: number;
  readonly to: number;
  readonly hidden: number;
}

/** How many states' successors are cached at most (then the cache starts over). */
const CACHE_STATES = 50_000;

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
  const hiddenChoice = inst.choices.map((ch) => observer.hidden(names[ch.action], ch.param));
  const nChoices = inst.choices.length;
  const skipped: Skipped<O>[] = [];
  let generated = 0;
  let kept = 0;
  let widest = 0;
  const stats = (): ReplayStats => ({ states: kept, generated, widest, seconds: (performance.now() - t0) / 1000 });
  const fp = new Uint32Array(2);
  const checks: Broken[] = [
    ...succ.invariants.map((c) => ({ kind: 'invariant' as const, name: c.name, doc: c.doc, clause: c.clause, level: c.level })),
    ...succ.properties.map((c) => ({ kind: 'property' as const, name: c.name, doc: c.doc, clause: c.clause, level: c.level })),
  ];
  const nInv = succ.invariants.length;

  const pack = (s: S): Uint32Array => {
    const w = new Uint32Array(W);
    if (!succ.layout.encode(s, w, 0)) throw new Error(`a state is outside the schema: ${succ.typeError(s)}`);
    return w;
  };
  const keyOf = (s: S, w: Uint32Array): string => {
    succ.fingerprint(s, w, 0, fp);
    return `${fp[0]}:${fp[1]}`;
  };

  // The successor generator, memoised per packed state.
  let cache = new Map<string, Succ<S>[]>();
  const succsOf = (words: Uint32Array): Succ<S>[] => {
    const k = words.join(',');
    let out = cache.get(k);
    if (out) return out;
    out = [];
    const s = succ.decode(words, 0);
    for (let c = 0; c < nChoices; c++) {
      const t = succ.step(s, c);
      if (t === undefined) continue;
      generated++;
      // Action properties first, as the search judges a transition before its new state.
      const prop = succ.propertiesOn(s, t, c);
      const inv = prop < 0 ? succ.invariantsOn(t) : -1;
      const w = pack(t);
      out.push({ c, words: w, key: keyOf(t, w), hidden: hiddenChoice[c], broken: prop >= 0 ? nInv + prop : inv, outside: !succ.inConstraint(t), ev: undefined });
    }
    if (cache.size >= CACHE_STATES) cache = new Map();
    cache.set(k, out);
    return out;
  };
  const eventOf = (from: Uint32Array, sc: Succ<S>): Event<S> => (sc.ev ??= succ.event(sc.c, succ.decode(from, 0), succ.decode(sc.words, 0)));

  // buckets[i]: the nodes that have accounted for log[0..i), by fingerprint.
  const buckets = new Map<number, Map<string, Node>>();
  let furthest = 0;
  const add = (i: number, key: string, n: Node): boolean => {
    if (i > furthest) furthest = i;
    let b = buckets.get(i);
    if (!b) buckets.set(i, (b = new Map()));
    if (b.has(key)) return false;
    b.set(key, n);
    kept++;
    return true;
  };

  try {
    for (let i = 0; i < inst.init.length; i++) {
      const s0 = inst.init[i];
      if (!succ.inConstraint(s0)) continue;
      const w = pack(s0);
      add(0, keyOf(s0, w), { words: w, parent: undefined, via: { action: 'Init', label: 'Init' }, from: 0, to: 0, hidden: 0 });
    }
  } catch (e) {
    return { kind: 'error', index: 0, message: `initial state: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
  }

  let last: Node[] = [];
  for (let i = 0; i <= log.length; i++) {
    const bucket = buckets.get(i);
    buckets.delete(i);
    if (!bucket || bucket.size === 0) continue;
    const nodes: Node[] = [...bucket.values()];
    const absorbing = observer.absorbed !== undefined && (observer.absorbing?.(log, i) ?? true);
    try {
      // The hidden steps: breadth first from the nodes at position i, at most maxHidden deep.
      // A hidden step that breaks a property is no run of a conforming model: not kept.
      for (let k = 0; k < nodes.length; k++) {
        const n = nodes[k];
        if (n.hidden >= maxHidden) continue;
        for (const sc of succsOf(n.words)) {
          if (sc.broken >= 0 || sc.outside || bucket.has(sc.key)) continue;
          if (!sc.hidden && !(absorbing && observer.absorbed!(eventOf(n.words, sc), log, i))) continue;
          const m: Node = { words: sc.words, parent: n, via: sc as Succ<unknown>, from: i, to: i, hidden: n.hidden + 1 };
          bucket.set(sc.key, m);
          kept++;
          nodes.push(m);
        }
        if (bucket.size > maxStates) return { kind: 'error', index: i, message: `more than ${maxStates} model states are consistent with the log up to event ${i} (lower --max-hidden, or split the log)`, skipped, stats: stats() };
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
      for (const [key, n] of bucket) add(i + 1, key, { words: n.words, parent: n, via: { action: 'skip', label: why }, from: i, to: i + 1, hidden: n.hidden });
      continue;
    }
    const stutters = observer.stutter?.(log, i);
    let broken: Broken | undefined;
    let moved = false;
    try {
      for (const [key, n] of bucket) {
        if (stutters !== undefined) moved = add(i + 1, key, { words: n.words, parent: n, via: { action: 'stutter', label: stutters }, from: i, to: i + 1, hidden: 0 }) || moved;
        for (const sc of succsOf(n.words)) {
          if (sc.hidden) continue;
          if (observer.candidate && !observer.candidate(names[choiceAction[sc.c]], o)) continue;
          const ev = eventOf(n.words, sc);
          const used = observer.match(ev, log, i);
          if (used <= 0) continue;
          if (sc.broken >= 0) {
            broken ??= checks[sc.broken];
            continue;
          }
          if (sc.outside) continue;
          add(i + used, sc.key, { words: sc.words, parent: n, via: sc as Succ<unknown>, from: i, to: i + used, hidden: 0 });
          moved = true;
        }
      }
    } catch (e) {
      return { kind: 'error', index: i, message: `matching event ${i} threw: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
    }
    // A departure is only certain when no node at any later position survives.
    if (!moved && furthest <= i) {
      const states = nodes.slice(0, MAX_SHOWN).map((n) => succ.decode(n.words, 0));
      const allowed = new Set<string>();
      const near = new Set<string>();
      for (const n of nodes) {
        for (const sc of succsOf(n.words)) {
          if (sc.hidden || (observer.candidate && !observer.candidate(names[choiceAction[sc.c]], o))) continue;
          const ev = eventOf(n.words, sc);
          if (allowed.size < MAX_SHOWN) allowed.add(ev.label);
          if (near.size < MAX_SHOWN && observer.related?.(ev, o)) near.add(ev.label);
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
      for (const st of w) if (st.action !== 'Init' && st.action !== 'skip' && st.action !== 'stutter') actions[st.action] = (actions[st.action] ?? 0) + 1;
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
  const chain: Node[] = [];
  for (let m = n; m; m = m.parent) chain.push(m);
  chain.reverse();
  return chain.map((m) => {
    let action: string;
    let label: string;
    if ('c' in m.via) {
      const sc = m.via as Succ<S>;
      sc.ev ??= succ.event(sc.c, succ.decode(m.parent!.words, 0), succ.decode(sc.words, 0));
      action = sc.ev.action;
      label = sc.ev.label;
    } else ({ action, label } = m.via);
    return { action, label, state: succ.decode(m.words, 0), from: m.from, to: m.to, hidden: m.from === m.to && action !== 'Init' };
  });
}
