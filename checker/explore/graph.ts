// The explicit state graph that temporal properties are checked on. The search is the same
// breadth-first exploration, in the same order and with the same action semantics, as the
// safety search in bfs.ts (which stays untouched and lean); in addition it keeps, on typed
// arrays, every edge (successor id and the choice that fired) and the value of each state
// predicate the temporal properties use.
//
// States are numbered in discovery order, so a state's number orders it by depth and the
// BFS tree (parent, choice) gives a shortest path to it. Edges that lead back to the same
// state (or the same view) are not stored: such a step is a stuttering step for temporal
// logic, it neither takes an action nor enables it (TLA+'s <<A>>_vars).

import { produce, freeze } from 'immer';
import type { Instance } from '../spec.js';
import type { EvalError, IncompleteReason, Progress } from '../result.js';
import { compileLayout, type Layout } from '../store/layout.js';
import { StateBuffer } from '../store/parents.js';
import { slot } from '../store/fpset.js';

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
  /** BFS tree: the parent of each state (-1 for an initial state) … */
  readonly parent: Int32Array;
  /** … and the choice that produced it (for an initial state: its index in `init`). */
  readonly parentChoice: Uint32Array;
  /** For each predicate, one byte per state: 1 when the predicate holds there. */
  readonly preds: readonly Uint8Array[];
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
  engine?: 'fast' | 'immer';
  /** Budget in bytes for the graph; beyond it the build stops as incomplete. */
  memory?: number;
  /** Stop as incomplete beyond this many states. */
  maxStates?: number;
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

/** A growable typed array (doubling; amortised O(1) push). */
class Grow<T extends Int32Array | Uint32Array | Uint8Array> {
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

class ViewOutOfDomain extends Error {}

/** Explores the whole reachable graph of `inst`, recording edges and the predicates' values. */
export function buildGraph<S>(inst: Instance<S>, predicates: readonly GraphPredicate<S>[], opts: GraphOptions = {}): GraphBuild {
  const t0 = performance.now();
  const layout: Layout<S> = compileLayout<S>(inst.schema);
  const viewLayout = inst.view ? compileLayout<unknown>(inst.view.state) : undefined;
  const view = inst.view;
  const W = layout.words;
  const immer = opts.engine === 'immer';
  const budget = opts.memory ?? Number.POSITIVE_INFINITY;
  const maxStates = opts.maxStates ?? 0x7fffffff;
  const interval = opts.progressInterval ?? 1000;
  let lastProgress = t0;

  const scratch = new Uint32Array(W);
  const vscratch = viewLayout ? new Uint32Array(viewLayout.words) : scratch;
  const fp = new Uint32Array(2);
  const index = new FingerprintIndex();
  const parent = new Grow(new Int32Array(1024), (n) => new Int32Array(n));
  const parentChoice = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const edgeStart = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const edgeTarget = new Grow(new Int32Array(4096), (n) => new Int32Array(n));
  const edgeChoice = new Grow(new Uint32Array(4096), (n) => new Uint32Array(n));
  const preds = predicates.map(() => new Grow(new Uint8Array(1024), (n) => new Uint8Array(n)));
  let cur = new StateBuffer(W);
  let nxt = new StateBuffer(W);

  const bytes = () =>
    index.bytes + cur.bytes + nxt.bytes + parent.data.byteLength + parentChoice.data.byteLength + edgeStart.data.byteLength +
    edgeTarget.data.byteLength + edgeChoice.data.byteLength + preds.reduce((a, p) => a + p.data.byteLength, 0);

  const choices = inst.choices;
  const nChoices = choices.length;
  const chAction = choices.map((c) => c.action);
  const chParam = choices.map((c) => c.param);
  const enabledFns = inst.actions.map((a) => a.def.enabled);
  const nextFns = inst.actions.map((a) => a.def.next);
  const constraint = inst.constraint;
  const frozen = (s: S): S => (immer ? (freeze(s, true) as S) : s);

  const fingerprintOf = (s: S): void => {
    if (viewLayout && view) {
      if (!viewLayout.encode(view.of(s) as never, vscratch, 0)) throw new ViewOutOfDomain('the view returned a value outside its schema');
      viewLayout.fingerprint(vscratch, 0, fp);
    } else layout.fingerprint(scratch, 0, fp);
  };

  let n = 0;
  let failure: GraphFailure | undefined;
  let incomplete: IncompleteReason | undefined;
  let phase: EvalError['phase'] = 'init';

  /** Records a new state (packed in scratch) and evaluates the predicates on it. */
  const addState = (s: S, par: number, choice: number): number => {
    const id = n++;
    parent.push(par);
    parentChoice.push(choice);
    const o = nxt.reserve();
    nxt.data.set(scratch.subarray(0, W), o);
    nxt.commit();
    phase = 'temporal';
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

  // Initial states, then level by level; `nxt` collects each new level.
  for (let i = 0; i < inst.init.length && !failure; i++) {
    const s0 = inst.init[i];
    try {
      phase = 'init';
      if (!layout.encode(s0, scratch, 0)) continue; // TypeOK: reported by the safety search
      phase = 'constraint';
      if (constraint && !constraint(s0)) continue;
      phase = 'view';
      fingerprintOf(s0);
    } catch (e) {
      failure = { phase, error: e, at: -1, choice: i };
      break;
    }
    if (index.getOrPut(fp[0], fp[1], n) < 0) addState(frozen(layout.decode(scratch, 0)), -1, i);
  }

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
      const off = i * W;
      edgeStart.push(edgeTarget.length);
      let c = 0;
      try {
        phase = 'enabled';
        const s = frozen(layout.decode(data, off));
        for (c = 0; c < nChoices; c++) {
          const a = chAction[c];
          const p = chParam[c];
          phase = 'enabled';
          const en = enabledFns[a];
          if (en !== undefined && !en(s, p)) continue;
          phase = 'next';
          let t: S;
          if (immer) {
            const rec = nextFns[a];
            t = produce(s, (d: S) => rec(d, p) as never) as S;
          } else {
            const d = layout.decode(data, off);
            const r = nextFns[a](d, p);
            t = r === undefined ? d : (r as S);
          }
          if (!layout.encode(t, scratch, 0)) continue; // TypeOK: reported by the safety search
          if (constraint) {
            phase = 'constraint';
            if (!constraint(t)) continue;
          }
          phase = 'view';
          fingerprintOf(t);
          let w = index.getOrPut(fp[0], fp[1], n);
          if (w < 0) {
            if (n >= maxStates) {
              incomplete = 'max-states';
              break;
            }
            w = addState(t, v, c);
            if (failure) break;
          }
          if (w !== v) {
            edgeTarget.push(w);
            edgeChoice.push(c);
          }
        }
      } catch (e) {
        failure = phase === 'enabled' || phase === 'next' || phase === 'constraint' || phase === 'view'
          ? { phase, error: e, at: v, choice: c }
          : { phase, error: e, at: v };
      }
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
  const graph: StateGraph = {
    n,
    edges: edgeTarget.length,
    edgeStart: edgeStart.done(),
    edgeTarget: edgeTarget.done(),
    edgeChoice: edgeChoice.done(),
    parent: parent.done(),
    parentChoice: parentChoice.done(),
    preds: preds.map((p) => p.done()),
    bytes: 0,
  };
  (graph as { bytes: number }).bytes = (n + 1) * 4 + n * 8 + graph.edges * 8 + n * predicates.length;
  return { status: 'ok', graph };
}

/** The path of choices to state `id` along the BFS tree: [initial-state index, choice, …]. */
export function treePath(parent: Int32Array, parentChoice: Uint32Array, id: number): number[] {
  const out: number[] = [];
  for (let v = id; v >= 0; v = parent[v]) out.push(parentChoice[v]);
  return out.reverse();
}
