// The breadth-first search itself, level by level, in a fixed order: initial states in
// order, then for each state of a level (in discovery order) every action in declaration
// order with every parameter in enumeration order. The first violation found is therefore
// at the smallest depth, and the same on every run.
//
// Two semantics for an action's effect:
//  - 'immer' (the reference): the recipe runs under immer's produce() on a frozen state,
//    so a recipe or guard that mutates what it must not is caught;
//  - 'fast' (the default hot path): the parent is loaded into a reusable plain object
//    (Layout.scratch, no allocation), the recipe mutates it directly, and it is packed again.
// Both go through the same packing, fingerprinting and checks; the differential test runs
// every spec both ways and compares counts and traces.
//
// Each state is expanded in two passes (docs/decisions/0002-batched-probes.md): first every
// successor is computed, packed and fingerprinted into a small batch; then the batch is
// inserted into the seen-set in order, and invariants run on the states that were new. The
// first pass stops at the first failure it meets (a TypeOK, an action property, an
// exception); the second pass reports an earlier failure if it finds one, so the verdict,
// the counts and the trace are those of a one-successor-at-a-time search. Between the two
// passes the slots of the whole batch are touched, so their cache misses overlap.
//
// The Search object is also the coordinator's state in a parallel run (explore/parallel.ts):
// workers fill the same stores, and a level that fails is re-run here, sequentially.

import { produce, freeze } from 'immer';
import { totalmem } from 'node:os';
import { validate } from '../schema.js';
import type { Instance, Step, NamedCheck } from '../spec.js';
import { compileLayout, type Layout, type Scratch } from '../store/layout.js';
import { FingerprintSet, WordSet, type SeenSet } from '../store/fpset.js';
import { ParentStore, StateBuffer, OutOfMemory } from '../store/parents.js';
import type { Candidates } from '../store/candidates.js';
import type { ShardedSet } from '../store/sharded.js';
import type { CheckResult, EvalError, IncompleteReason, Progress, Stats, Violation, ViolationKind } from '../result.js';
import { buildTrace, replay } from './trace.js';
import { ConfigError } from '../errors.js';

export interface CheckOptions {
  /** Only these invariants / action properties (by name); default all. */
  invariants?: readonly string[];
  /** Report states without successors that are not terminal (default true). */
  deadlock?: boolean;
  /** Stop as incomplete rather than store more than this many distinct states. */
  maxStates?: number;
  /** Do not explore beyond this depth (initial states are depth 1). */
  maxDepth?: number;
  /**
   * Budget in bytes for the seen-set, parent pointers and frontier (default: 80% of the
   * machine's or container's memory). When the next growth would exceed it the search
   * stops as `incomplete` (reason 'memory') with its statistics.
   */
  memory?: number;
  /** Action semantics: 'fast' (default) or 'immer' (the reference). */
  engine?: 'fast' | 'immer';
  /**
   * Worker threads (default 1: the search runs in the calling thread). With N > 1 each
   * level is expanded by N workers sharing one seen-set; counts and counterexamples are
   * identical to a single-threaded run. Workers load the spec from `module`.
   */
  workers?: number;
  /** Path or file URL of the module whose default export (or `spec` export) is the instance's spec; needed for workers > 1. */
  module?: string;
  /** Called about every `progressInterval` ms during long runs. */
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

export type Phase = EvalError['phase'];

/** A failure as the search meets it; turned into a result (with a replayed trace) by `finish`. */
export interface Failure {
  kind: 'violation' | 'error' | 'incomplete';
  vkind?: ViolationKind;
  name?: string;
  message?: string;
  /** Parent state id and choice of the offending step, or -1/choice index for init states. */
  parent: number;
  choice: number;
  /** The offending state as computed (for TypeOK, an out-of-domain value). */
  state?: unknown;
  phase?: Phase;
  error?: unknown;
  /** For failures in a state (not a step): the id of that state. */
  at?: number;
  reason?: IncompleteReason;
  /** `generated` as a one-step-at-a-time search has it when it meets this failure. */
  generated: number;
}

class ViewDomainError extends Error {}

/** Slots touched ahead of insertion only when the table is beyond the caches' reach. */
const TOUCH_MIN_BYTES = 1 << 21;

/** The default memory budget: 80% of the memory this process may use. */
export function defaultBudget(): number {
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const mem = limit && limit > 0 && limit < totalmem() ? limit : totalmem();
  return Math.floor(mem * 0.8);
}

/** Which invariants and properties a run checks (by `--invariant` names). */
export function selectChecks<S>(inst: Instance<S>, names: readonly string[] | undefined): {
  invariants: readonly NamedCheck<(s: S) => boolean>[];
  properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];
} {
  let invariants = inst.invariants;
  let properties = inst.properties;
  if (names && names.length > 0) {
    const known = new Set([...invariants, ...properties].map((i) => i.name));
    for (const n of names)
      if (!known.has(n) && n !== 'TypeOK')
        throw new ConfigError(`unknown invariant '${n}' in spec ${inst.name}; known: ${[...known].join(', ') || '(none)'}`);
    invariants = invariants.filter((i) => names.includes(i.name));
    properties = properties.filter((i) => names.includes(i.name));
  }
  return { invariants, properties };
}

/** Pre-built stores for a search whose levels are partly expanded elsewhere (parallel runs). */
export interface Stores {
  seen: SeenSet;
  parents: ParentStore;
  cur: StateBuffer;
  nxt: StateBuffer;
}

export class Search<S> {
  readonly t0 = performance.now();
  readonly layout: Layout<S>;
  readonly viewLayout: Layout<unknown> | undefined;
  readonly W: number;
  readonly immer: boolean;
  readonly deadlock: boolean;
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly budget: number;
  readonly invariants: readonly NamedCheck<(s: S) => boolean>[];
  readonly properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];

  seen: SeenSet;
  parents: ParentStore;
  cur: StateBuffer;
  nxt: StateBuffer;

  /** Initial states plus successors computed. */
  generated = 0;
  /** How many of `generated` were initial states. */
  initGenerated = 0;
  depth = 0;
  /** Id of the first state of the current level. */
  firstId = 0;
  failure: Failure | undefined;
  /** Keeps the touched slots observable, so the touching is not optimised away. */
  sink = 0;
  /**
   * In a parallel worker: successors not seen in earlier levels are appended here (with
   * their shard in `sharded`) instead of being inserted; any failure just stops the range,
   * and the coordinator re-runs the level in order.
   */
  collector: Candidates | undefined;
  sharded: ShardedSet | undefined;

  private readonly sScratch: Scratch<S>;
  private readonly dScratch: Scratch<S>;
  private readonly iScratch: Scratch<S>;
  private readonly vscratch: Uint32Array;
  private readonly fp = new Uint32Array(2);
  // The batch of one state's successors: packed words, fingerprints, choice, generated count.
  private readonly bWords: Uint32Array;
  private readonly bHi: Uint32Array;
  private readonly bLo: Uint32Array;
  private readonly bChoice: Int32Array;
  private readonly bGen: Float64Array;
  private lastProgress: number;

  constructor(readonly inst: Instance<S>, readonly opts: CheckOptions, stores?: Stores) {
    this.layout = compileLayout<S>(inst.schema);
    this.viewLayout = inst.view ? compileLayout<unknown>(inst.view.state) : undefined;
    this.W = this.layout.words;
    this.immer = opts.engine === 'immer';
    this.deadlock = opts.deadlock ?? true;
    this.maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
    this.maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
    this.budget = opts.memory ?? defaultBudget();
    const sel = selectChecks(inst, opts.invariants);
    this.invariants = sel.invariants;
    this.properties = sel.properties;

    const canGrow = (extra: number) => this.canGrow(extra);
    const maxChoice = Math.max(inst.choices.length, inst.init.length);
    if (stores) ({ seen: this.seen, parents: this.parents, cur: this.cur, nxt: this.nxt } = stores);
    else {
      // A one-word state that is never all ones is its own exact key: 4 bytes a slot.
      const compact = !inst.view && this.layout.compact;
      this.seen = compact ? new WordSet(1 << 16, Number.POSITIVE_INFINITY, canGrow) : new FingerprintSet(1 << 16, Number.POSITIVE_INFINITY, canGrow);
      this.parents = new ParentStore(maxChoice);
      this.cur = new StateBuffer(this.W);
      this.nxt = new StateBuffer(this.W);
    }

    this.sScratch = this.layout.scratch();
    this.dScratch = this.layout.scratch();
    this.iScratch = this.layout.scratch();
    this.vscratch = new Uint32Array(this.viewLayout?.words ?? 1);
    const n = Math.max(1, inst.choices.length);
    this.bWords = new Uint32Array(n * this.W);
    this.bHi = new Uint32Array(n);
    this.bLo = new Uint32Array(n);
    this.bChoice = new Int32Array(n);
    this.bGen = new Float64Array(n);
    this.lastProgress = this.t0;
  }

  /** Bytes held by the stores. */
  storeBytes(): number {
    return this.seen.bytes + this.parents.bytes + this.cur.bytes + this.nxt.bytes;
  }

  /** Whether the stores may take `extra` more bytes under the budget. */
  canGrow(extra: number): boolean {
    return this.storeBytes() + extra <= this.budget;
  }

  /** Whether there is a level left to expand. */
  get running(): boolean {
    return this.failure === undefined && this.cur.count > 0;
  }

  stats(queue: number): Stats {
    const distinct = this.parents.size;
    const exact = this.viewLayout ? this.viewLayout.exact : this.layout.exact;
    return {
      generated: this.generated,
      transitions: this.generated - this.initGenerated,
      distinct,
      depth: this.depth,
      queue,
      seconds: (performance.now() - this.t0) / 1000,
      storeBytes: this.storeBytes(),
      stateWords: this.W,
      exactFingerprints: exact,
      collisionProbability: exact ? 0 : (distinct * Math.max(0, this.generated - distinct)) / 2 ** 64,
    };
  }

  /** Fingerprint of a state already packed at w[o..]: into this.fp. */
  private fingerprintOf(t: S, w: Uint32Array, o: number): void {
    const vl = this.viewLayout;
    if (vl) {
      if (!vl.encode(this.inst.view!.of(t) as never, this.vscratch, 0)) throw new ViewDomainError();
      vl.fingerprint(this.vscratch, 0, this.fp);
    } else this.layout.fingerprint(w, o, this.fp);
  }

  // --- Initial states -------------------------------------------------------------------
  initial(): void {
    const { inst, layout, W } = this;
    const scratch = new Uint32Array(W);
    let phase: Phase = 'init';
    let failName: string | undefined;
    const frozen = (s: S): S => (this.immer ? (freeze(s, true) as S) : s);
    try {
      for (let i = 0; i < inst.init.length && !this.failure; i++) {
        const s0 = inst.init[i];
        this.generated++;
        this.initGenerated++;
        const generated = this.generated;
        try {
          phase = 'init';
          if (!layout.encode(s0, scratch, 0)) {
            this.failure = { kind: 'violation', vkind: 'TypeOK', name: 'TypeOK', message: validate(inst.schema, s0) ?? 'out of domain', parent: -1, choice: i, state: s0, generated };
            break;
          }
          phase = 'constraint';
          if (inst.constraint && !inst.constraint(s0)) continue;
          phase = 'view';
          this.fingerprintOf(s0, scratch, 0);
          const r = this.seen.put(this.fp[0], this.fp[1]);
          if (r === 0) continue;
          if (r < 0 || !this.canGrow(this.parents.nextChunkBytes)) {
            this.failure = { kind: 'incomplete', reason: 'memory', parent: -1, choice: i, generated };
            break;
          }
          if (this.parents.size >= this.maxStates) {
            this.failure = { kind: 'incomplete', reason: 'max-states', parent: -1, choice: i, generated };
            break;
          }
          const id = this.parents.add(-1, i);
          const o = this.cur.reserve();
          for (let k = 0; k < W; k++) this.cur.data[o + k] = scratch[k];
          this.cur.commit();
          phase = 'invariant';
          for (let k = 0; k < this.invariants.length; k++) {
            failName = this.invariants[k].name;
            if (!this.invariants[k].check(frozen(layout.decode(scratch, 0)))) {
              this.failure = { kind: 'violation', vkind: 'invariant', name: failName, parent: -1, choice: i, at: id, generated };
              break;
            }
          }
        } catch (e) {
          if (e instanceof OutOfMemory) throw e;
          if (e instanceof ViewDomainError) this.failure = { kind: 'error', phase: 'view', error: new Error('the view returned a value outside its schema'), parent: -1, choice: i, generated };
          else this.failure = { kind: 'error', phase, name: phase === 'invariant' ? failName : undefined, error: e, parent: -1, choice: i, at: phase === 'invariant' ? this.parents.size - 1 : undefined, generated };
        }
      }
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.failure = { kind: 'incomplete', reason: 'memory', parent: -1, choice: 0, generated: this.generated };
    }
    if (this.parents.size > 0) this.depth = 1;
  }

  // --- One level ------------------------------------------------------------------------
  /** Expands the states [from, to) of the current level (all of it by default) into `nxt`. */
  expand(from = 0, to = this.cur.count): void {
    try {
      this.expandRange(from, to);
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.failure = { kind: 'incomplete', reason: 'memory', parent: this.firstId + from, choice: 0, generated: this.generated };
    }
  }

  private expandRange(from: number, to: number): void {
    const { inst, layout, W, immer, seen, parents, invariants, properties } = this;
    const data = this.cur.data;
    const levelCount = this.cur.count;
    const choices = inst.choices;
    const nChoices = choices.length;
    const chAction = choices.map((c) => c.action);
    const chParam = choices.map((c) => c.param);
    const enabledFns = inst.actions.map((a) => a.def.enabled);
    const nextFns = inst.actions.map((a) => a.def.next);
    const names = inst.actions.map((a) => a.name);
    const invChecks = invariants.map((i) => i.check);
    const propChecks = properties.map((p) => p.check);
    const nInv = invChecks.length;
    const nProp = propChecks.length;
    const terminal = inst.terminal;
    const constraint = inst.constraint;
    const hasView = inst.view !== undefined;
    const encode = layout.encode;
    const fingerprint = layout.fingerprint;
    const sScratch = this.sScratch;
    const dScratch = this.dScratch;
    const iScratch = this.iScratch;
    const { bWords, bHi, bLo, bChoice, bGen, fp } = this;
    const collector = this.collector;
    const sharded = this.sharded;
    const stepObj: { action: string; param: unknown } = { action: '', param: undefined };
    const atBound = this.depth >= this.maxDepth;
    const maxStates = this.maxStates;
    const firstId = this.firstId;
    const onProgress = this.opts.onProgress;
    const interval = this.opts.progressInterval ?? 1000;
    const nxt = this.nxt;
    let generated = this.generated;
    let failure: Failure | undefined;
    let failName: string | undefined;
    let sink = 0;

    for (let i = from; i < to && failure === undefined; i++) {
      const pid = firstId + i;
      const off = i * W;
      let n = 0;
      let pending: Failure | undefined;
      let any = false;
      let s: S | undefined;
      let c = 0;
      let phase: Phase = 'enabled';

      // Pass 1: successors, packed and fingerprinted, up to the first failure.
      try {
        s = immer ? (freeze(layout.decode(data, off), true) as S) : sScratch.load(data, off);
        for (c = 0; c < nChoices; c++) {
          const a = chAction[c];
          const p = chParam[c];
          phase = 'enabled';
          const en = enabledFns[a];
          if (en !== undefined && !en(s, p)) continue;
          any = true;
          phase = 'next';
          let t: S;
          if (immer) {
            const rec = nextFns[a];
            t = produce(s, (d: S) => rec(d, p) as never) as S;
          } else {
            const d = dScratch.load(data, off);
            const r = nextFns[a](d, p);
            t = r === undefined ? d : (r as S);
          }
          generated++;
          const bo = n * W;
          if (!encode(t, bWords, bo) || (immer && validate(inst.schema, t) !== null)) {
            pending = { kind: 'violation', vkind: 'TypeOK', name: 'TypeOK', message: validate(inst.schema, t) ?? 'out of domain', parent: pid, choice: c, state: t, generated };
            break;
          }
          if (nProp > 0) {
            phase = 'property';
            stepObj.action = names[a];
            stepObj.param = p;
            for (let k = 0; k < nProp; k++) {
              failName = properties[k].name;
              if (!propChecks[k](s, t, stepObj as Step)) {
                pending = { kind: 'violation', vkind: 'action-property', name: failName, parent: pid, choice: c, state: t, generated };
                break;
              }
            }
            if (pending) break;
          }
          if (constraint !== undefined) {
            phase = 'constraint';
            if (!constraint(t)) continue;
          }
          if (hasView) {
            phase = 'view';
            this.fingerprintOf(t, bWords, bo);
          } else fingerprint(bWords, bo, fp);
          bHi[n] = fp[0];
          bLo[n] = fp[1];
          bChoice[n] = c;
          bGen[n] = generated;
          n++;
        }
      } catch (e) {
        if (e instanceof ViewDomainError) pending = { kind: 'error', phase: 'view', error: new Error('the view returned a value outside its schema'), parent: pid, choice: c, generated };
        else pending = { kind: 'error', phase, error: e, parent: pid, choice: c, name: phase === 'property' ? failName : undefined, generated };
      }

      // Pass 2: insert in order; invariants on new states.
      if (collector !== undefined) {
        // Parallel phase A: the successors go to their shard's owner, who inserts them
        // (phase B); invariants run on the new states when they are placed (phase C).
        for (let k = 0; k < n; k++) {
          if (!collector.push(bWords, k * W, i, bChoice[k], bHi[k], bLo[k], sharded!.shardOf(bHi[k], bLo[k]))) {
            failure = { kind: 'incomplete', reason: 'memory', parent: pid, choice: bChoice[k], generated: bGen[k] };
            break;
          }
        }
      } else if (n > 0) {
        if (n > 1 && seen.bytes >= TOUCH_MIN_BYTES) for (let k = 0; k < n; k++) sink ^= seen.touch(bHi[k], bLo[k]);
        for (let k = 0; k < n; k++) {
          const choice = bChoice[k];
          if (atBound) {
            if (!seen.has(bHi[k], bLo[k])) {
              failure = { kind: 'incomplete', reason: 'max-depth', parent: pid, choice, generated: bGen[k] };
              break;
            }
            continue;
          }
          const r = seen.put(bHi[k], bLo[k]);
          if (r === 0) continue;
          if (r < 0 || (parents.nextChunkBytes > 0 && !this.canGrow(parents.nextChunkBytes))) {
            failure = { kind: 'incomplete', reason: 'memory', parent: pid, choice, generated: bGen[k] };
            break;
          }
          if (parents.size >= maxStates) {
            failure = { kind: 'incomplete', reason: 'max-states', parent: pid, choice, generated: bGen[k] };
            break;
          }
          let o = nxt.count * W;
          if (o + W > nxt.data.length) {
            if (!this.canGrow(nxt.nextBytes)) {
              failure = { kind: 'incomplete', reason: 'memory', parent: pid, choice, generated: bGen[k] };
              break;
            }
            o = nxt.reserve();
          }
          const id = parents.add(pid, choice);
          const nd = nxt.data;
          const bo = k * W;
          for (let w = 0; w < W; w++) nd[o + w] = bWords[bo + w];
          nxt.count++;
          if (nInv > 0) {
            let j = 0;
            try {
              const st = immer ? (freeze(layout.decode(bWords, bo), true) as S) : iScratch.load(bWords, bo);
              for (j = 0; j < nInv; j++) if (!invChecks[j](st)) break;
            } catch (e) {
              failure = { kind: 'error', phase: 'invariant', error: e, name: invariants[j].name, parent: pid, choice, at: id, generated: bGen[k] };
              break;
            }
            if (j < nInv) {
              failure = { kind: 'violation', vkind: 'invariant', name: invariants[j].name, parent: pid, choice, at: id, generated: bGen[k] };
              break;
            }
          }
        }
      }
      if (failure !== undefined) {
        generated = failure.generated;
        break;
      }
      if (pending !== undefined) {
        failure = pending;
        break;
      }
      if (!any && this.deadlock) {
        try {
          if (!terminal || !terminal(s as S)) failure = { kind: 'violation', vkind: 'deadlock', name: 'Deadlock', parent: -2, choice: 0, at: pid, generated };
        } catch (e) {
          failure = { kind: 'error', phase: 'terminal', error: e, parent: -2, choice: 0, at: pid, generated };
        }
      }
      if (onProgress && (i & 0x3fff) === 0x3fff) {
        const now = performance.now();
        if (now - this.lastProgress >= interval) {
          this.lastProgress = now;
          this.generated = generated;
          onProgress({ distinct: parents.size, generated, queue: levelCount - i - 1 + nxt.count, depth: this.depth, seconds: (now - this.t0) / 1000 });
        }
      }
    }
    this.generated = generated;
    this.failure = failure;
    this.sink ^= sink;
  }

  /** Index of the invariant being evaluated by `invariantsAt` (to name one that throws). */
  invariantIndex = 0;
  private scratchForInvariants: Scratch<S> | undefined;

  /**
   * Runs the checked invariants on the packed state at w[o..] as the search does on a new
   * state: -1 when all hold, else the index of the first that is violated. Exceptions
   * propagate, with `invariantIndex` naming the invariant that threw.
   */
  invariantsAt(w: Uint32Array, o: number): number {
    const invs = this.invariants;
    if (invs.length === 0) return -1;
    this.scratchForInvariants ??= this.layout.scratch();
    const st = this.immer ? (freeze(this.layout.decode(w, o), true) as S) : this.scratchForInvariants.load(w, o);
    for (let j = 0; j < invs.length; j++) {
      this.invariantIndex = j;
      if (!invs[j].check(st)) return j;
    }
    return -1;
  }

  /**
   * Successors a search computes from the states [from, parent] of the current level, up to
   * and including `choice` of the last one: the `generated` count a one-step-at-a-time
   * search has there. Only for a range that was expanded without failure (guards are pure).
   */
  countGenerated(from: number, parent: number, choice: number): number {
    const { inst, layout, W } = this;
    const data = this.cur.data;
    let n = 0;
    for (let i = from; i <= parent; i++) {
      const s = freeze(layout.decode(data, i * W), true) as S;
      const last = i === parent ? choice : inst.choices.length - 1;
      for (let c = 0; c <= last; c++) {
        const ch = inst.choices[c];
        const en = inst.actions[ch.action].def.enabled;
        if (en === undefined || en(s, ch.param)) n++;
      }
    }
    return n;
  }

  /** Moves to the next level (after the whole current level was expanded). */
  advance(): void {
    this.firstId += this.cur.count;
    const tmp = this.cur;
    this.cur = this.nxt;
    this.nxt = tmp;
    this.nxt.clear();
    this.nxt.shrink();
    if (this.cur.count > 0) this.depth++;
  }

  /** Runs the remaining levels in this thread. */
  run(): void {
    while (this.running) {
      this.expand();
      if (this.failure) break;
      this.advance();
    }
  }

  result(): CheckResult<S> {
    const f = this.failure;
    const queueLeft = f ? this.cur.count + this.nxt.count : 0;
    if (f && this.nxt.count > 0) this.depth++;
    const st = this.stats(queueLeft);
    if (!f) return { status: 'ok', stats: st };
    return finish(this.inst, this.parents, f, st, this.immer);
  }
}

/** Turns an internal failure record into a result with a replayed trace. */
export function finish<S>(inst: Instance<S>, parents: ParentStore, f: Failure, stats: Stats, immer: boolean): CheckResult<S> {
  if (f.kind === 'incomplete') return { status: 'incomplete', reason: f.reason!, stats };

  // The path of choices to the state where the problem shows.
  let path: number[];
  let extra: number | undefined; // a final step that was not stored (TypeOK, property, errors in a step)
  if (f.at !== undefined) path = parents.path(f.at);
  else if (f.parent === -1) path = [f.choice];
  else {
    path = parents.path(f.parent);
    extra = f.choice;
  }

  if (f.kind === 'error') {
    const rep = replay(inst, path, immer);
    const trace = buildTrace(inst, path.slice(0, rep.states.length), rep.states);
    const err = f.error as Error;
    const c = extra !== undefined ? inst.choices[extra] : undefined;
    const error: EvalError<S> = {
      message: err?.message ?? String(err),
      phase: f.phase!,
      action: c ? inst.actions[c.action].name : undefined,
      param: c ? c.param : undefined,
      name: f.name,
      trace: trace as never,
      stack: err?.stack,
    };
    return { status: 'error', error, stats };
  }

  const full = extra !== undefined ? [...path, extra] : path;
  const rep = replay(inst, full, immer, f.vkind === 'TypeOK' ? f.state : undefined);
  const meta = [...inst.invariants, ...inst.properties].find((x) => x.name === f.name);
  if (!rep.ok) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: rep.message, trace: buildTrace(inst, full.slice(0, rep.states.length), rep.states) as never };
    return { status: 'violation', violation: v, stats };
  }
  const trace = buildTrace(inst, full, rep.states);
  const mismatch = confirm(inst, f, rep.states);
  if (mismatch) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: mismatch, trace: trace as never };
    return { status: 'violation', violation: v, stats };
  }
  let message = f.message ?? '';
  if (f.vkind === 'invariant') message = `invariant ${f.name} is violated`;
  else if (f.vkind === 'action-property') message = `action property ${f.name} is violated by step ${trace[trace.length - 1].label}`;
  else if (f.vkind === 'deadlock') message = 'deadlock: no action is enabled and the state is not terminal';
  else if (f.vkind === 'TypeOK') message = `TypeOK is violated after ${trace[trace.length - 1].label}: ${f.message}`;
  const v: Violation<S> = {
    kind: f.vkind!,
    name: f.name!,
    message,
    clause: meta?.clause,
    level: meta?.level,
    doc: meta?.doc,
    trace: trace as never,
  };
  return { status: 'violation', violation: v, stats };
}

/** Re-evaluates the violation on the replayed trace; a different verdict means the spec is not deterministic. */
function confirm<S>(inst: Instance<S>, f: Failure, states: readonly S[]): string | undefined {
  const last = states[states.length - 1];
  const prev = states[states.length - 2];
  const note = 'replay: the violation found by the search does not reproduce when the trace is replayed; the spec is not deterministic';
  try {
    switch (f.vkind) {
      case 'invariant': {
        const inv = inst.invariants.find((i) => i.name === f.name);
        return inv && !inv.check(last) ? undefined : note;
      }
      case 'action-property': {
        const p = inst.properties.find((i) => i.name === f.name);
        const c = inst.choices[f.choice];
        return p && !p.check(prev, last, { action: inst.actions[c.action].name, param: c.param }) ? undefined : note;
      }
      case 'deadlock':
        return inst.choices.some((c) => {
          const en = inst.actions[c.action].def.enabled;
          return en === undefined || en(last, c.param);
        }) ? note : undefined;
      default:
        return undefined;
    }
  } catch (e) {
    return `${note} (${(e as Error)?.message ?? String(e)})`;
  }
}
