// The explicit state graph that temporal properties are checked on. The search is the same
// breadth-first exploration, in the same order, with the same successors (Successors), as
// the safety search in search.ts; in addition it keeps, on typed arrays, every edge
// (successor id and the choice that fired), every choice whose successor lies outside the
// state constraint (it is still enabled, as TLC decides ENABLED from the action), and the
// value of each state predicate the temporal properties use.
//
// States are numbered in discovery order, so a state's number orders it by depth and the
// BFS tree (parent, choice) gives a shortest path to it. Edges that lead back to the same
// state (or the same view) are not stored: such a step is a stuttering step for temporal
// logic, it neither takes an action nor enables it (TLA+'s <<A>>_vars). Only when asked
// (`GraphTests.selfLoops`, for ENABLED A, which a step to the same state satisfies) the
// tests' bits of those steps are kept, ORed per state.

import type { EvalError, IncompleteReason, Progress } from '../result.js';
import { StateBuffer } from '../store/parents.js';
import type { Successors } from './successors.js';
import { slot } from '../store/fpset.js';

/**
 * Action-level tests the graph records as bits: one word group per stored edge, per edge
 * leaving the constraint, and per state for its stuttering step (ltl.ts: a step of no
 * action). `eval` writes the bits of the step `before -> after` by `choice` (after and
 * choice undefined/-1 for the stuttering step) into `out`; it may throw a `TestError`.
 * When `byChoice` is set, the bits of a real step depend on its choice only and the states
 * are not decoded for it.
 */
export interface GraphTests<S> {
  /** Words of bits per step. */
  readonly words: number;
  readonly byChoice: boolean;
  readonly eval: (before: S | undefined, after: S | undefined, choice: number, out: Uint32Array) => void;
  /** Also record, per state, the OR of the bits of its steps back to the same state (or view). */
  readonly selfLoops?: boolean;
}

/** A failure inside a test, naming its temporal property. */
export class TestError {
  constructor(readonly property: string, readonly error: unknown) {}
}

/** A state predicate the graph records for every state. */
export interface GraphPredicate<S> {
  /** The temporal property it belongs to (for error messages). */
  readonly name: string;
  readonly fn: (s: S) => boolean;
}

export interface StateGraph {
  /** Number of states. */
  readonly n: number;
  /** Number of stored edges (self-loops left out). */
  readonly edges: number;
  /** Out-edges of v are edgeTarget/edgeChoice[edgeStart[v] .. edgeStart[v + 1]). */
  readonly edgeStart: Uint32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeChoice: Uint32Array;
  /** Choices enabled in v whose successor lies outside the constraint: leaveChoice[leaveStart[v] .. leaveStart[v + 1]). */
  readonly leaveStart: Uint32Array;
  readonly leaveChoice: Uint32Array;
  /** BFS tree: the parent of each state (-1 for an initial state) … */
  readonly parent: Int32Array;
  /** … and the choice that produced it (for an initial state: its index in `init`). */
  readonly parentChoice: Uint32Array;
  /** For each predicate, one byte per state: 1 when the predicate holds there. */
  readonly preds: readonly Uint8Array[];
  /** With `GraphTests`: their bits on each stored edge, edge leaving the constraint and stuttering step ([i * words + w]). */
  readonly edgeBits?: Uint32Array;
  readonly leaveBits?: Uint32Array;
  readonly stutterBits?: Uint32Array;
  /** With `GraphTests.selfLoops`: per state, the OR of the bits of its self-loop steps ([s * words + w]). */
  readonly selfBits?: Uint32Array;
  /** Bytes held by the arrays above. */
  readonly bytes: number;
}

export interface GraphFailure {
  readonly phase: EvalError['phase'];
  readonly error: unknown;
  /** Predicate's property name (phase 'temporal'). */
  readonly name?: string;
  /** The state being evaluated (its BFS path is the trace) … */
  readonly at: number;
  /** … and, for a failing step from it, the choice tried. */
  readonly choice?: number;
}

export type GraphBuild =
  | { readonly status: 'ok'; readonly graph: StateGraph }
  | { readonly status: 'error'; readonly failure: GraphFailure; readonly parent: Int32Array; readonly parentChoice: Uint32Array }
  | { readonly status: 'incomplete'; readonly reason: IncompleteReason };

export interface GraphOptions {
  /** Budget in bytes for the graph; beyond it the build stops as incomplete. */
  memory?: number;
  /** Stop as incomplete beyond this many states. */
  maxStates?: number;
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

/** A growable typed array (doubling; amortised O(1) push). */
export class Grow<T extends Int32Array | Uint32Array | Uint8Array> {
  length = 0;
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The filled part (a copy trimmed to length when much smaller than the storage). */
  done(extra = 0): T {
    const want = this.length + extra;
    if (this.data.length === want) return this.data;
    const out = this.make(want);
    out.set(this.data.subarray(0, Math.min(this.length, want)));
    return out;
  }
}

/** Map from 64-bit fingerprints to state numbers: open addressing on typed arrays. */
class FingerprintIndex {
  private keys: Uint32Array;
  private ids: Int32Array;
  private mask: number;
  private count = 0;
  constructor(capacity = 1 << 12) {
    this.keys = new Uint32Array(capacity * 2);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
  }
  get bytes(): number {
    return this.keys.byteLength + this.ids.byteLength;
  }
  /** The number stored for (hi, lo), or -1 after storing `id` for it. */
  getOrPut(hi: number, lo: number, id: number): number {
    if (this.count * 4 >= (this.mask + 1) * 3) this.grow();
    const k = this.keys;
    let i = slot(hi, lo) & this.mask;
    for (;;) {
      const j = i << 1;
      if (k[j] === 0 && k[j + 1] === 0) {
        k[j] = hi;
        k[j + 1] = lo;
        this.ids[i] = id;
        this.count++;
        return -1;
      }
      if (k[j] === hi && k[j + 1] === lo) return this.ids[i];
      i = (i + 1) & this.mask;
    }
  }
  private grow(): void {
    const oldK = this.keys;
    const oldI = this.ids;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap * 2);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    for (let s = 0; s < oldI.length; s++) {
      const hi = oldK[s << 1];
      const lo = oldK[(s << 1) + 1];
      if (hi === 0 && lo === 0) continue;
      let i = slot(hi, lo) & this.mask;
      while (this.keys[i << 1] !== 0 || this.keys[(i << 1) + 1] !== 0) i = (i + 1) & this.mask;
      this.keys[i << 1] = hi;
      this.keys[(i << 1) + 1] = lo;
      this.ids[i] = oldI[s];
    }
  }
}

/** Explores the whole reachable graph, recording edges and the predicates' values. */
export function buildGraph<S>(succ: Successors<S>, predicates: readonly GraphPredicate<S>[], opts: GraphOptions = {}, tests?: GraphTests<S>): GraphBuild {
  const t0 = performance.now();
  const inst = succ.inst;
  const W = succ.W;
  const budget = opts.memory ?? Number.POSITIVE_INFINITY;
  const maxStates = opts.maxStates ?? 0x7fffffff;
  const interval = opts.progressInterval ?? 1000;
  let lastProgress = t0;

  const index = new FingerprintIndex();
  const parent = new Grow(new Int32Array(1024), (n) => new Int32Array(n));
  const parentChoice = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const edgeStart = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const edgeTarget = new Grow(new Int32Array(4096), (n) => new Int32Array(n));
  const edgeChoice = new Grow(new Uint32Array(4096), (n) => new Uint32Array(n));
  const leaveStart = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const leaveChoice = new Grow(new Uint32Array(256), (n) => new Uint32Array(n));
  const preds = predicates.map(() => new Grow(new Uint8Array(1024), (n) => new Uint8Array(n)));
  const TW = tests?.words ?? 0;
  const edgeBits = new Grow(new Uint32Array(TW > 0 ? 4096 : 1), (n) => new Uint32Array(n));
  const leaveBits = new Grow(new Uint32Array(TW > 0 ? 256 : 1), (n) => new Uint32Array(n));
  const stutterBits = new Grow(new Uint32Array(TW > 0 ? 1024 : 1), (n) => new Uint32Array(n));
  const SW = tests?.selfLoops ? TW : 0;
  const selfBits = new Grow(new Uint32Array(SW > 0 ? 1024 : 1), (n) => new Uint32Array(n));
  const selfAcc = new Uint32Array(Math.max(1, SW));
  const bits = new Uint32Array(Math.max(1, TW));
  /** The bits of the choice-only tests, per choice, computed on first use. */
  const choiceBits = tests?.byChoice ? new Map<number, Uint32Array>() : undefined;
  let cur = new StateBuffer(W);
  let nxt = new StateBuffer(W);

  const bytes = () =>
    index.bytes + cur.bytes + nxt.bytes + parent.data.byteLength + parentChoice.data.byteLength + edgeStart.data.byteLength +
    edgeTarget.data.byteLength + edgeChoice.data.byteLength + leaveStart.data.byteLength + leaveChoice.data.byteLength +
    preds.reduce((a, p) => a + p.data.byteLength, 0) + edgeBits.data.byteLength + leaveBits.data.byteLength + stutterBits.data.byteLength + selfBits.data.byteLength;

  let n = 0;
  let failure: GraphFailure | undefined;
  let incomplete: IncompleteReason | undefined;

  /** Records a new state packed at w[o..] and evaluates the predicates on it. */
  const addState = (w: Uint32Array, o: number, par: number, choice: number): number => {
    const id = n++;
    parent.push(par);
    parentChoice.push(choice);
    const at = nxt.reserve();
    nxt.data.set(w.subarray(o, o + W), at);
    nxt.commit();
    if (predicates.length === 0) return id;
    const s = succ.load(w, o);
    for (let k = 0; k < predicates.length; k++) {
      try {
        preds[k].push(predicates[k].fn(s) ? 1 : 0);
      } catch (e) {
        failure = { phase: 'temporal', error: e, name: predicates[k].name, at: id };
        return id;
      }
    }
    return id;
  };

  /** The tests' bits of a step from `before` (stuttering when choice < 0); undefined after a failure. */
  const stepBits = (v: number, before: S | undefined, words: Uint32Array | undefined, k: number, choice: number): Uint32Array | undefined => {
    try {
      if (choice >= 0 && choiceBits) {
        let b = choiceBits.get(choice);
        if (!b) {
          b = new Uint32Array(TW);
          tests!.eval(undefined, undefined, choice, b);
          choiceBits.set(choice, b);
        }
        return b;
      }
      bits.fill(0);
      tests!.eval(before, choice >= 0 ? succ.decode(words!, k * W) : undefined, choice, bits);
      return bits;
    } catch (e) {
      const t = e instanceof TestError ? e : new TestError('', e);
      failure = { phase: 'temporal', error: t.error, name: t.property, at: v, choice: choice >= 0 ? choice : undefined };
      return undefined;
    }
  };
  /** Appends the tests' bits of a step from `before` (stuttering when choice < 0); false after a failure. */
  const record = (into: Grow<Uint32Array>, v: number, before: S | undefined, words: Uint32Array | undefined, k: number, choice: number): boolean => {
    const b = stepBits(v, before, words, k, choice);
    if (!b) return false;
    for (let j = 0; j < TW; j++) into.push(b[j]);
    return true;
  };

  // Initial states, then level by level; `nxt` collects each new level.
  for (let i = 0; i < inst.init.length && !failure; i++) {
    const r = succ.initial(i);
    if (r.kind === 'outside' || r.kind === 'TypeOK') continue; // TypeOK: reported by the safety search
    if (r.kind === 'error') {
      failure = { phase: r.phase, error: r.error, at: -1, choice: i };
      break;
    }
    if (index.getOrPut(succ.fp[0], succ.fp[1], n) < 0) addState(succ.initWords, 0, -1, i);
  }

  const batch = succ.batch;
  let firstId = 0;
  while (!failure && !incomplete) {
    const tmp = cur;
    cur = nxt;
    nxt = tmp;
    nxt.clear();
    nxt.shrink();
    const count = cur.count;
    if (count === 0) break;
    const data = cur.data;
    for (let i = 0; i < count && !failure && !incomplete; i++) {
      const v = firstId + i;
      edgeStart.push(edgeTarget.length);
      leaveStart.push(leaveChoice.length);
      const before = TW > 0 ? succ.decode(data, i * W) : undefined;
      if (SW > 0) selfAcc.fill(0);
      succ.expand(data, i * W, false);
      for (let k = 0; k < batch.n; k++) {
        const c = batch.choice[k];
        if (batch.kept[k] === 0) {
          leaveChoice.push(c);
          if (TW > 0 && !record(leaveBits, v, before, batch.words, k, c)) break;
          continue;
        }
        let w = index.getOrPut(batch.hi[k], batch.lo[k], n);
        if (w < 0) {
          if (n >= maxStates) {
            incomplete = 'max-states';
            break;
          }
          w = addState(batch.words, k * W, v, c);
          if (failure) break;
        }
        if (w !== v) {
          edgeTarget.push(w);
          edgeChoice.push(c);
          if (TW > 0 && !record(edgeBits, v, before, batch.words, k, c)) break;
        } else if (SW > 0) {
          const b = stepBits(v, before, batch.words, k, c);
          if (!b) break;
          for (let j = 0; j < SW; j++) selfAcc[j] |= b[j];
        }
      }
      if (TW > 0 && !failure) record(stutterBits, v, before, undefined, 0, -1);
      if (SW > 0 && !failure) for (let j = 0; j < SW; j++) selfBits.push(selfAcc[j]);
      const stop = batch.stop;
      // A TypeOK stop is reported by the safety search, which runs first.
      if (!failure && !incomplete && stop !== undefined && stop.kind === 'error') failure = { phase: stop.phase, error: stop.error, at: v, choice: stop.choice };
      if ((i & 0x3fff) === 0x3fff) {
        if (bytes() > budget) incomplete = 'memory';
        if (opts.onProgress) {
          const now = performance.now();
          if (now - lastProgress >= interval) {
            lastProgress = now;
            opts.onProgress({ distinct: n, generated: edgeTarget.length + n, queue: count - i - 1 + nxt.count, depth: 0, seconds: (now - t0) / 1000 });
          }
        }
      }
    }
    firstId += count;
  }
  if (failure) return { status: 'error', failure, parent: parent.done(), parentChoice: parentChoice.done() };
  if (incomplete || bytes() > budget) return { status: 'incomplete', reason: incomplete ?? 'memory' };
  edgeStart.push(edgeTarget.length);
  leaveStart.push(leaveChoice.length);
  const graph: StateGraph = {
    n,
    edges: edgeTarget.length,
    edgeStart: edgeStart.done(),
    edgeTarget: edgeTarget.done(),
    edgeChoice: edgeChoice.done(),
    leaveStart: leaveStart.done(),
    leaveChoice: leaveChoice.done(),
    parent: parent.done(),
    parentChoice: parentChoice.done(),
    preds: preds.map((p) => p.done()),
    ...(TW > 0 ? { edgeBits: edgeBits.done(), leaveBits: leaveBits.done(), stutterBits: stutterBits.done() } : {}),
    ...(SW > 0 ? { selfBits: selfBits.done() } : {}),
    bytes: 0,
  };
  (graph as { bytes: number }).bytes = (n + 1) * 4 + n * 8 + graph.edges * 8 + (n + 1) * 4 + graph.leaveChoice.length * 4 + n * predicates.length +
    (graph.edges + graph.leaveChoice.length + n) * TW * 4 + n * SW * 4;
  return { status: 'ok', graph };
}

/** The path of choices to state `id` along the BFS tree: [initial-state index, choice, …]. */
export function treePath(parent: Int32Array, parentChoice: Uint32Array, id: number): number[] {
  const out: number[] = [];
  for (let v = id; v >= 0; v = parent[v]) out.push(parentChoice[v]);
  return out.reverse();
}
