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
  /**
   * A key for position i of the log: two positions with the same key must get the same answer
   * from every method above (but `owed`) for every step, so that the search may reuse what it
   * computed at one for the other when the same states are consistent with the log at both
   * (a long log repeats itself). It is asked before the position is searched (to look up) and
   * after (to store), so it may depend on what the observer learnt meanwhile. Undefined: no
   * reuse at this position. Without `key`, nothing is reused.
   */
  key?(log: readonly O[], i: number): string | undefined;
}

export interface ValidateOptions {
  /** Hidden steps allowed between two observations (default 8). */
  maxHidden?: number;
  /** Stop undecided (kind 'error') when a position keeps more than this many states (default 100,000). */
  maxStates?: number;
  /** Reuse a position's search for a later position with the same states and the same observer key (default true; false to compare). */
  memo?: boolean;
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
    key: (log, i) => `${log[i].action}\u0000${log[i].label}`,
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
  /** The number of the new state (see idOf), given when first needed. */
  id?: number;
}

interface Node {
  readonly words: Uint32Array;
  /** The packed state's number (idOf) and fingerprint key. */
  readonly id: number;
  readonly key: string;
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
 * What the search did at one position, from its input (the nodes the log brought there, in
 * order): the hidden steps' closure and the observable steps that match the observation. A
 * long log repeats itself (the same iteration, the same few states), so a frame is reused at a
 * later position with the same input and the same observer key: the search there only rebuilds
 * the nodes (each pointing to its parent there, so the witness stays a real run), in the same
 * order, without asking the spec or the observer again.
 */
interface Frame<S> {
  /** (state id, hidden steps so far) per input node; undefined when the frame is not kept. */
  readonly input: Int32Array | undefined;
  /** Pairs (parent index, step): a node of the closure; parents index the input, then the closure. */
  readonly closure: (number | Succ<S>)[];
  /** The closure grew past maxStates. */
  overflow: boolean;
  /** Whether `steps` and `broken` were computed (not for an observation the model does not know). */
  matched: boolean;
  /** Triples (node index, step, observations used), by node index. */
  readonly steps: (number | Succ<S>)[];
  /** The first check a matching step breaks (index into checks), or -1. */
  broken: number;
  /** Per node (input, then closure): whether a matching step starts from it or from a node after it in the closure. */
  needed?: Uint8Array;
}

/** How many cells (numbers and steps) the frames kept hold at most (then they are dropped). */
const MEMO_CELLS = 4_000_000;

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

  // Each distinct packed state gets a number, never reused (a cleared table gives new ones):
  // what a frame's input is compared by.
  let ids = new Map<string, number>();
  let nextId = 0;
  const idOf = (words: Uint32Array): number => {
    const k = words.join(',');
    let id = ids.get(k);
    if (id === undefined) {
      if (ids.size >= CACHE_STATES) ids = new Map();
      ids.set(k, (id = nextId++));
    }
    return id;
  };
  const idOfSucc = (sc: Succ<S>): number => (sc.id ??= idOf(sc.words));

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
      const key = keyOf(s0, w);
      add(0, key, { words: w, id: idOf(w), key, parent: undefined, via: { action: 'Init', label: 'Init' }, from: 0, to: 0, hidden: 0 });
    }
  } catch (e) {
    return { kind: 'error', index: 0, message: `initial state: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
  }

  // The hidden steps: breadth first from the nodes at position i, at most maxHidden deep. A
  // hidden step that breaks a property is no run of a conforming model: not kept.
  const closeHidden = (f: Frame<S>, input: readonly Node[], i: number): void => {
    const absorbing = observer.absorbed !== undefined && (observer.absorbing?.(log, i) ?? true);
    const seen = new Set<string>();
    const words: Uint32Array[] = [];
    const depth: number[] = [];
    for (const n of input) {
      seen.add(n.key);
      words.push(n.words);
      depth.push(n.hidden);
    }
    for (let k = 0; k < words.length; k++) {
      if (depth[k] >= maxHidden) continue;
      for (const sc of succsOf(words[k])) {
        if (sc.broken >= 0 || sc.outside || seen.has(sc.key)) continue;
        if (!sc.hidden && !(absorbing && observer.absorbed!(eventOf(words[k], sc), log, i))) continue;
        seen.add(sc.key);
        f.closure.push(k, sc);
        words.push(sc.words);
        depth.push(depth[k] + 1);
      }
      if (seen.size > maxStates) {
        f.overflow = true;
        return;
      }
    }
  };
  // The observable steps from every node that account for log[i] (and maybe what follows).
  const matchSteps = (f: Frame<S>, input: readonly Node[], i: number): void => {
    const o = log[i];
    const words = input.map((n) => n.words);
    for (let q = 0; q < f.closure.length; q += 2) words.push((f.closure[q + 1] as Succ<S>).words);
    for (let k = 0; k < words.length; k++) {
      const n = { words: words[k] };
      for (const sc of succsOf(n.words)) {
        if (sc.hidden) continue;
        if (observer.candidate && !observer.candidate(names[choiceAction[sc.c]], o)) continue;
        const used = observer.match(eventOf(n.words, sc), log, i);
        if (used <= 0) continue;
        if (sc.broken >= 0) {
          if (f.broken < 0) f.broken = sc.broken;
          continue;
        }
        if (sc.outside) continue;
        f.steps.push(k, sc, used);
      }
    }
    // The nodes a matching step starts from, and their ancestors at this position: all that
    // must be built when nothing else (stuttering, a departure) looks at the others.
    const needed = new Uint8Array(words.length);
    for (let q = 0; q < f.steps.length; q += 3) needed[f.steps[q] as number] = 1;
    for (let k = words.length - 1; k >= input.length; k--) if (needed[k]) needed[f.closure[2 * (k - input.length)] as number] = 1;
    f.needed = needed;
  };

  // Frames already searched, by observer key and input; dropped all at once when too big.
  const useMemo = (opts.memo ?? true) && observer.key !== undefined;
  let memo = new Map<string, Frame<S>[]>();
  let memoCells = 0;
  const inputOf = (input: readonly Node[]): Int32Array => {
    const a = new Int32Array(2 * input.length);
    for (let k = 0; k < input.length; k++) {
      a[2 * k] = input[k].id;
      a[2 * k + 1] = input[k].hidden;
    }
    return a;
  };
  const hashOf = (a: Int32Array): string => {
    let h1 = 0x811c9dc5 | 0;
    let h2 = a.length | 0;
    for (let k = 0; k < a.length; k++) {
      h1 = Math.imul(h1 ^ a[k], 0x01000193);
      h2 = Math.imul(h2 + a[k], 0x5bd1e995) ^ (h2 >>> 13);
    }
    return `${a.length}:${h1 >>> 0}:${h2 >>> 0}`;
  };
  const sameInput = (a: Int32Array, b: Int32Array): boolean => {
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  };

  let last: Node[] = [];
  for (let i = 0; i <= log.length; i++) {
    const bucket = buckets.get(i);
    buckets.delete(i);
    if (!bucket || bucket.size === 0) continue;
    const input: Node[] = [...bucket.values()];
    let frame: Frame<S> | undefined;
    let inputKey: Int32Array | undefined;
    if (useMemo && i < log.length) {
      inputKey = inputOf(input);
      const ok = observer.key!(log, i);
      if (ok !== undefined) frame = memo.get(`${ok}\u0000${hashOf(inputKey)}`)?.find((f) => f.input !== undefined && sameInput(f.input, inputKey!));
    }
    const fresh = frame === undefined;
    const f: Frame<S> = frame ?? { input: inputKey, closure: [], overflow: false, matched: false, steps: [], broken: -1 };
    if (fresh) {
      try {
        closeHidden(f, input, i);
      } catch (e) {
        return { kind: 'error', index: i, message: `a hidden step threw: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
      }
    }
    kept += f.closure.length / 2;
    if (f.overflow) return { kind: 'error', index: i, message: `more than ${maxStates} model states are consistent with the log up to event ${i} (lower --max-hidden, or split the log)`, skipped, stats: stats() };
    widest = Math.max(widest, input.length + f.closure.length / 2);

    const o = log[i];
    const why = i < log.length ? observer.unknown?.(o) : undefined;
    const stutters = i < log.length && why === undefined ? observer.stutter?.(log, i) : undefined;
    if (i < log.length && why === undefined && !f.matched) {
      try {
        matchSteps(f, input, i);
      } catch (e) {
        return { kind: 'error', index: i, message: `matching event ${i} threw: ${(e as Error)?.message ?? String(e)}`, skipped, stats: stats() };
      }
      f.matched = true;
    }
    if (fresh && useMemo && f.input) {
      const ok = observer.key!(log, i);
      if (ok !== undefined) {
        memoCells += f.input.length + f.closure.length + f.steps.length;
        if (memoCells > MEMO_CELLS) {
          memo = new Map();
          memoCells = f.input.length + f.closure.length + f.steps.length;
        }
        const k = `${ok}\u0000${hashOf(f.input)}`;
        const list = memo.get(k);
        if (list) list.push(f);
        else memo.set(k, [f]);
      }
    }
    // The closure's nodes, each pointing to its parent at this position; when only the
    // matching steps go on from here, only the nodes they start from and their ancestors.
    const lean = i < log.length && why === undefined && stutters === undefined && f.steps.length > 0 && f.needed !== undefined;
    const nodes = input as (Node | undefined)[];
    for (let q = 0; q < f.closure.length; q += 2) {
      if (lean && !f.needed![nodes.length]) {
        nodes.push(undefined);
        continue;
      }
      const p = nodes[f.closure[q] as number]!;
      const sc = f.closure[q + 1] as Succ<S>;
      nodes.push({ words: sc.words, id: idOfSucc(sc), key: sc.key, parent: p, via: sc as Succ<unknown>, from: i, to: i, hidden: p.hidden + 1 });
    }
    if (i === log.length) {
      last = nodes as Node[];
      break;
    }

    if (why !== undefined) {
      skipped.push({ index: i, observation: o, reason: why });
      // Every node moves on unchanged; hidden steps may continue after the skipped event.
      for (const n of nodes as Node[]) add(i + 1, n.key, { words: n.words, id: n.id, key: n.key, parent: n, via: { action: 'skip', label: why }, from: i, to: i + 1, hidden: n.hidden });
      continue;
    }
    let moved = false;
    let q = 0;
    const steps = f.steps;
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k]!;
      if (stutters !== undefined) moved = add(i + 1, n.key, { words: n.words, id: n.id, key: n.key, parent: n, via: { action: 'stutter', label: stutters }, from: i, to: i + 1, hidden: 0 }) || moved;
      for (; q < steps.length && steps[q] === k; q += 3) {
        const sc = steps[q + 1] as Succ<S>;
        const used = steps[q + 2] as number;
        add(i + used, sc.key, { words: sc.words, id: idOfSucc(sc), key: sc.key, parent: n, via: sc as Succ<unknown>, from: i, to: i + used, hidden: 0 });
        moved = true;
      }
    }
    const broken = f.broken >= 0 ? checks[f.broken] : undefined;
    // A departure is only certain when no node at any later position survives.
    if (!moved && furthest <= i) {
      const states = (nodes as Node[]).slice(0, MAX_SHOWN).map((n) => succ.decode(n.words, 0));
      const allowed = new Set<string>();
      const near = new Set<string>();
      for (const n of nodes as Node[]) {
        for (const sc of succsOf(n.words)) {
          if (sc.hidden || (observer.candidate && !observer.candidate(names[choiceAction[sc.c]], o))) continue;
          const ev = eventOf(n.words, sc);
          if (allowed.size < MAX_SHOWN) allowed.add(ev.label);
          if (near.size < MAX_SHOWN && observer.related?.(ev, o)) near.add(ev.label);
        }
      }
      return {
        kind: 'departs', index: i, observation: o, allowed: [...allowed], near: [...near], broken, states,
        witness: witness(succ, nodes[0]!), skipped, stats: stats(),
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
