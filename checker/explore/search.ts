// The breadth-first search itself, level by level, in a fixed order: initial states in
// order, then for each state of a level (in discovery order) its successors in choice
// order (Successors.expand). The first violation found is therefore at the smallest
// depth, and the same on every run.
//
// Each state is expanded in two passes (docs/decisions/0002-batched-probes.md): first
// Successors computes every successor, packed and fingerprinted, into its batch, stopping
// at the first failure it meets (a TypeOK, an action property, an exception); then the
// batch is inserted into the seen-set in order, and invariants run on the states that
// were new. The second pass reports an earlier failure if it finds one, so the verdict,
// the counts and the trace are those of a one-successor-at-a-time search. Between the two
// passes the slots of the whole batch are touched, so their cache misses overlap.
//
// The stores and counters are private. A parallel run (parallel.ts) drives the same level
// loop through the methods under "Parallel levels": it reads the frontier, reserves room
// for what its workers place, and records what they placed; a level that fails is re-run
// here, sequentially, with `expand(from)`.
//
// Beyond memory (CheckOptions.spill, docs/decisions/disk-spill.md) the parent pointers go
// to an append-only file, and the fingerprint table, when full, is merged into a sorted
// file (store/spill.ts) and emptied. From then on a state missing from the table may still
// be on disk: it is placed as usual but stays *tentative* until the next `resolve()`, which
// looks the tentative states of the next level up in the file in one sorted pass and drops
// those found there, keeping the order of the others. The survivors are numbered as the
// in-memory search numbers them (dropping some of a sequence keeps the order of the rest),
// so the counts, the numbering and the shortest counterexample do not change. An invariant
// that fails on a tentative state fails on a new one: a state on disk passed the invariants
// when it was first placed. States are resolved at the end of each level, before the table
// is merged, before a max-states judgement and before the result.

import { totalmem } from 'node:os';
import { FingerprintSet, WordSet, type SeenSet } from '../store/fpset.js';
import { ParentStore, StateBuffer, OutOfMemory, type ParentBuffers } from '../store/parents.js';
import { ShardedSet } from '../store/sharded.js';
import { DiskFull, SortedKeyFile, SpillDir, sortKeys } from '../store/spill.js';
import { Reclaimer } from '../store/reclaim.js';
import type { CheckResult, Stats } from '../result.js';
import type { CoverageTable } from './coverage.js';
import type { CheckOptions, SpillMode } from './options.js';
import type { Successors } from './successors.js';
import { verdict, type Failure } from './verdict.js';
import type { Pacer, StopReason } from './stop.js';
import type { Identity, Snapshot } from '../store/checkpoint.js';
import { Tally } from './coverage.js';

/** Slots touched ahead of insertion only when the table is beyond the caches' reach. */
const TOUCH_MIN_BYTES = 1 << 21;

/**
 * Share of the budget the fingerprint table may grow into when the search can spill: the
 * rest is left to the frontiers and the parent pointers of the level in memory, so that a
 * full table is merged to disk before the frontier runs out of room.
 */
const SEEN_SHARE = 0.9;

/** The default memory budget: 80% of the memory this process may use. */
export function defaultBudget(): number {
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const mem = limit && limit > 0 && limit < totalmem() ? limit : totalmem();
  return Math.floor(mem * 0.8);
}

/** The deadlock setting of a run: the option, else the spec's `check.deadlock`, else on. */
export function deadlockSetting(succ: Successors<unknown>, opts: CheckOptions): boolean {
  return opts.deadlock ?? succ.inst.check?.deadlock ?? true;
}

export class Search<S> {
  private readonly t0 = performance.now();
  /** Seconds of search before the checkpoint this run resumed, if any. */
  private before = 0;
  private readonly W: number;
  private readonly deadlock: boolean;
  private readonly maxStates: number;
  private readonly maxDepth: number;
  private readonly budget: number;
  private readonly spillMode: SpillMode;
  /** Collects the buffers this thread let go of (spilled parents, a released table) once they add up (store/reclaim.ts). */
  private readonly reclaim = new Reclaimer();

  /** The run's temporary directory, made when something first spills. */
  private dir: SpillDir | undefined;
  /** The fingerprints merged to disk (after the table first filled). */
  private fpFile: SortedKeyFile | undefined;
  /** Slot in the next frontier of the first state not yet looked up on disk (see the header). */
  private pendingSlot = 0;
  /** Entries of the table that are also in the file (tentative states found on disk). */
  private dupes = 0;
  private readonly fp2 = new Uint32Array(2);
  private scratchKey = new Uint32Array(2);

  private readonly seen: SeenSet;
  private readonly parents: ParentStore;
  private cur: StateBuffer;
  private nxt: StateBuffer;

  /** Initial states plus successors computed. */
  private generated = 0;
  /** How many of `generated` were initial states. */
  private initGenerated = 0;
  private depth = 0;
  /** Id of the first state of the current level. */
  private firstId = 0;
  /** Index in the current level of the next state to expand. */
  private pos = 0;
  private failure: Failure | undefined;
  /** Keeps the touched slots observable, so the touching is not optimised away. */
  private sink = 0;
  private lastProgress: number;
  /** Coverage tallies: fired per choice counted here (and added by parallel.ts for worker chunks); the rest at result(). */
  readonly tally: Tally<S>;

  /**
   * `shards`: keep the stores in shared memory with the seen-set cut into that many shards,
   * for worker threads to fill (parallel.ts); the search in this thread is unchanged.
   */
  constructor(readonly succ: Successors<S>, private readonly opts: CheckOptions, shards?: number) {
    this.W = succ.W;
    this.deadlock = deadlockSetting(succ as Successors<unknown>, opts);
    this.maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
    this.maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
    this.budget = opts.memory ?? defaultBudget();
    this.spillMode = opts.spill ?? 'auto';
    const canGrow = (extra: number) => this.canGrowSeen(extra);
    const inst = succ.inst;
    const maxChoice = Math.max(inst.choices.length, inst.init.length);
    if (shards !== undefined) {
      const sharded = new ShardedSet(shards, succ.compact, 1 << 12, canGrow);
      sharded.onDrop = (bytes) => this.reclaim.drop(bytes);
      this.seen = sharded;
      this.parents = new ParentStore(maxChoice, true);
      this.cur = new StateBuffer(this.W, 1024, true);
      this.nxt = new StateBuffer(this.W, 1024, true);
    } else {
      // A one-word state that is never all ones is its own exact key: 4 bytes a slot.
      this.seen = succ.compact ? new WordSet(1 << 16, Number.POSITIVE_INFINITY, canGrow) : new FingerprintSet(1 << 16, Number.POSITIVE_INFINITY, canGrow);
      this.parents = new ParentStore(maxChoice);
      this.cur = new StateBuffer(this.W);
      this.nxt = new StateBuffer(this.W);
    }
    this.lastProgress = this.t0;
    this.tally = new Tally(inst, opts.coverage === true, succ);
  }

  /** Bytes held by the stores (in memory). */
  storeBytes(): number {
    return this.seen.bytes + this.parents.bytes + this.cur.bytes + this.nxt.bytes + (this.fpFile?.bytes ?? 0);
  }

  /** Whether the stores may take `extra` more bytes under the budget (spilling parent pointers first if it can). */
  private canGrow(extra: number): boolean {
    if (this.storeBytes() + extra <= this.budget) return true;
    if (this.spillMode === 'never') return false;
    this.spillParents();
    return this.storeBytes() + extra <= this.budget;
  }

  /**
   * Room for a frontier or the parent pointers: when spilling the parent pointers is not
   * enough, the fingerprint table is merged to disk and its memory given up, so that a level
   * wider than the budget's share left beside the table still goes on (as TLC's disk-backed
   * fingerprint set does) instead of stopping the search.
   */
  private makeRoom(extra: number): boolean {
    if (this.canGrow(extra)) return true;
    if (this.spillMode === 'never' || this.seen.size === 0 || !this.spillFingerprints(true)) return false;
    return this.canGrow(extra);
  }

  /** The seen-set's say on growth: when it can be merged to disk instead, it leaves room for the rest. */
  private canGrowSeen(extra: number): boolean {
    if (this.spillMode === 'never') return this.canGrow(extra);
    return this.canGrow(extra) && this.storeBytes() + extra <= this.budget * SEEN_SHARE;
  }

  private spillDir(): SpillDir {
    return (this.dir ??= new SpillDir(this.opts.spillDir));
  }

  /** Writes the parent pointers of final states to disk (from now on); returns the bytes freed. */
  private spillParents(): number {
    if (!this.parents.spilling) this.parents.spillTo(this.spillDir().file('parents'));
    // States from the first tentative one on may still be dropped and renumbered.
    const tentative = this.fpFile && this.fpFile.size > 0 ? this.firstId + this.cur.count + this.pendingSlot : this.parents.size;
    const freed = this.parents.spill(tentative);
    this.reclaim.drop(freed);
    return freed;
  }

  /** Whether the seen-set has entries on disk. */
  private get onDisk(): boolean {
    return this.fpFile !== undefined && this.fpFile.size > 0;
  }

  /** Membership in the table or on disk. */
  private seenHas(hi: number, lo: number): boolean {
    return this.seen.has(hi, lo) || this.seenOnDisk(hi, lo);
  }

  /** Membership in the file on disk (one page read). */
  private seenOnDisk(hi: number, lo: number): boolean {
    if (!this.onDisk) return false;
    this.seen.key(hi, lo, this.scratchKey, 0);
    return this.fpFile!.has(this.scratchKey, 0);
  }

  /**
   * Looks the tentative states of the next frontier up on disk and drops those found there
   * (keeping the order of the rest, with their parent pointers); a failure's state number
   * follows its state.
   */
  private resolve(): void {
    const nxt = this.nxt;
    const from = this.pendingSlot;
    const n = nxt.count - from;
    this.pendingSlot = nxt.count;
    if (!this.onDisk || n <= 0) return;
    const { W, succ, seen, parents } = this;
    const w = seen.keyWords;
    const keys = new Uint32Array(n * w);
    const fp = this.fp2;
    for (let i = 0; i < n; i++) {
      succ.fingerprintPacked(nxt.data, (from + i) * W, fp);
      seen.key(fp[0], fp[1], keys, i);
    }
    const sorted = keys.slice();
    sortKeys(sorted, n, w);
    const found = new Uint8Array(n);
    const hits = this.fpFile!.lookupSorted(sorted, n, found);
    if (hits === 0) return;
    // The keys found, in a small exact set, to tell them in discovery order.
    const hit = w === 1 ? new WordSet(hits * 2) : new FingerprintSet(hits * 2);
    for (let q = 0; q < n; q++) if (found[q] === 1) hit.put(w === 1 ? 0 : sorted[2 * q], w === 1 ? (sorted[q] - 1) >>> 0 : sorted[2 * q + 1]);
    const base = this.firstId + this.cur.count;
    const data = nxt.data;
    const f = this.failure;
    const failedId = f === undefined ? -1 : f.kind === 'invariant' ? f.id : f.kind === 'error' && f.site.at === 'state' ? f.site.id : -1;
    let newFailedId = failedId;
    let out = from;
    for (let s = from; s < nxt.count; s++) {
      const i = s - from;
      if (w === 1 ? hit.has(0, (keys[i] - 1) >>> 0) : hit.has(keys[2 * i], keys[2 * i + 1])) continue;
      if (out !== s) {
        data.copyWithin(out * W, s * W, s * W + W);
        parents.move(base + s, base + out);
      }
      if (base + s === failedId) newFailedId = base + out;
      out++;
    }
    this.dupes += nxt.count - out;
    nxt.count = out;
    parents.setSize(base + out);
    this.pendingSlot = out;
    if (f !== undefined && newFailedId !== failedId) {
      if (f.kind === 'invariant') this.failure = { ...f, id: newFailedId };
      else if (f.kind === 'error' && f.site.at === 'state') this.failure = { ...f, site: { at: 'state', id: newFailedId } };
    }
  }

  /**
   * Merges the fingerprint table into the file on disk and empties it (after resolving the
   * tentative states), giving up its memory when `release`; false if the file's buffers do
   * not fit.
   */
  private spillFingerprints(release = false): boolean {
    this.resolve();
    if (this.seen.size === 0) return true;
    if (!this.fpFile) {
      if (!this.canGrow(SortedKeyFile.bytesFor(this.seen.keyWords))) return false;
      this.fpFile = new SortedKeyFile(this.spillDir(), this.seen.keyWords);
    }
    this.fpFile.merge(this.seen.drainSorted());
    const before = this.seen.bytes;
    this.seen.clear(release);
    this.reclaim.drop(before - this.seen.bytes);
    this.dupes = 0;
    return true;
  }

  /** What a full disk does to the run: it stops as incomplete, naming the file. */
  diskFull(e: DiskFull): void {
    this.failure = { kind: 'incomplete', reason: 'disk-full', detail: e.message, generated: this.generated };
  }

  /** Closes and removes the spill files (at the end of the run; idempotent). */
  close(): void {
    this.fpFile?.close();
    this.parents.close();
    this.dir?.remove();
  }

  /** Seen states: in the table, plus on disk. */
  get seenSize(): number {
    return this.seen.size + (this.fpFile?.size ?? 0) - this.dupes;
  }

  /** Whether there is a level left to expand. */
  get running(): boolean {
    return this.failure === undefined && this.cur.count > 0;
  }

  private stats(queue: number): Stats {
    const distinct = this.parents.size;
    const exact = this.succ.exact;
    return {
      generated: this.generated,
      transitions: this.generated - this.initGenerated,
      distinct,
      depth: this.depth,
      queue,
      seconds: this.before + (performance.now() - this.t0) / 1000,
      storeBytes: this.storeBytes(),
      stateWords: this.W,
      exactFingerprints: exact,
      collisionProbability: exact ? 0 : (distinct * Math.max(0, this.generated - distinct)) / 2 ** 64,
    };
  }

  // --- Initial states -------------------------------------------------------------------
  initial(): void {
    const { succ, W } = this;
    const init = succ.inst.init;
    try {
      for (let i = 0; i < init.length && !this.failure; i++) {
        this.generated++;
        this.initGenerated++;
        const generated = this.generated;
        const r = succ.initial(i);
        if (r.kind === 'outside') continue;
        if (r.kind === 'TypeOK') {
          this.failure = { kind: 'TypeOK', message: r.message, state: r.state, site: { at: 'init', index: i }, generated };
          break;
        }
        if (r.kind === 'error') {
          this.failure = { kind: 'error', phase: r.phase, error: r.error, site: { at: 'init', index: i }, generated };
          break;
        }
        if (r.kind !== 'ok') break;
        const put = this.seen.put(succ.fp[0], succ.fp[1]);
        if (put === 0) continue;
        if (put < 0 || !this.canGrow(this.parents.nextChunkBytes)) {
          this.failure = { kind: 'incomplete', reason: 'memory', generated };
          break;
        }
        if (this.parents.size >= this.maxStates) {
          this.failure = { kind: 'incomplete', reason: 'max-states', generated };
          break;
        }
        const id = this.parents.add(-1, i);
        const o = this.cur.reserve();
        for (let k = 0; k < W; k++) this.cur.data[o + k] = succ.initWords[k];
        this.cur.commit();
        try {
          const v = succ.invariantsAt(succ.initWords, 0);
          if (v >= 0) this.failure = { kind: 'invariant', name: succ.invariants[v].name, id, generated };
        } catch (e) {
          this.failure = { kind: 'error', phase: 'invariant', name: succ.invariants[succ.invariantIndex].name, error: e, site: { at: 'state', id }, generated };
        }
      }
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.failure = { kind: 'incomplete', reason: 'memory', generated: this.generated };
    }
    if (this.parents.size > 0) this.depth = 1;
    this.premisesOn(this.cur);
  }

  /** With --coverage: the temporal premises on every state of a level. */
  private premisesOn(level: StateBuffer): void {
    const { tally, succ, W } = this;
    if (!tally.premisesWanted) return;
    for (let i = 0; i < level.count; i++) tally.premisesOn(succ.load(level.data, i * W));
  }

  // --- One level ------------------------------------------------------------------------
  /** Expands the states [from, to) of the current level into the next one. */
  expand(from = this.pos, to = this.cur.count): void {
    try {
      this.expandRange(from, to);
      this.pos = to;
    } catch (e) {
      if (e instanceof DiskFull) return this.diskFull(e);
      if (!(e instanceof OutOfMemory)) throw e;
      this.failure = { kind: 'incomplete', reason: 'memory', generated: this.generated };
    }
  }

  /**
   * Expands the rest of the current level in slices, yielding between them; stops the run
   * as incomplete at a slice boundary when `pacer` says so.
   */
  *level(pacer: Pacer): Generator<'slice', void> {
    while (this.pos < this.cur.count && this.failure === undefined) {
      const reason = pacer.reason;
      if (reason !== undefined) return this.stop(reason);
      const from = this.pos;
      const to = Math.min(this.cur.count, from + pacer.slice);
      const t = performance.now();
      this.expand(from, to);
      pacer.took(to - from, performance.now() - t);
      if (this.pos < this.cur.count && this.failure === undefined) yield 'slice';
    }
  }

  /** Runs the remaining levels in this thread, in slices (see `level`). */
  *levels(pacer: Pacer): Generator<'slice' | 'level', void> {
    while (this.running) {
      yield* this.level(pacer);
      if (!this.running) break;
      this.advance();
      pacer.atLevel(this);
      yield 'level';
    }
  }

  /** Stops the run, as incomplete, where it stands (`pos` in the current level). */
  stop(reason: StopReason): void {
    if (this.failure !== undefined) return;
    this.failure = { kind: 'incomplete', reason, generated: this.generated };
    this.stoppedAt = reason;
  }

  /** Set when the run was stopped from outside (then `pos` says how far the level got). */
  private stoppedAt: StopReason | undefined;

  private expandRange(from: number, to: number): void {
    const { succ, W, seen, parents } = this;
    const batch = succ.batch;
    const { words: bWords, hi: bHi, lo: bLo, choice: bChoice, kept, loop } = batch;
    const data = this.cur.data;
    const levelCount = this.cur.count;
    const nInv = succ.invariants.length;
    const atBound = this.depth >= this.maxDepth;
    const maxStates = this.maxStates;
    const firstId = this.firstId;
    const onProgress = this.opts.onProgress;
    const interval = this.opts.progressInterval ?? 1000;
    const nxt = this.nxt;
    const fired = this.tally.fired;
    let generated = this.generated;
    let failure: Failure | undefined;
    let sink = 0;

    for (let i = from; i < to && failure === undefined; i++) {
      const pid = firstId + i;
      const base = generated;
      // Pass 1: successors, packed and fingerprinted, up to the first failure.
      succ.expand(data, i * W);
      const n = batch.n;
      // Pass 2: insert in order; invariants on new states. A successor that loops back to
      // its parent is seen (the parent is, in the table or on disk): no lookup.
      if (n > 1 && seen.bytes >= TOUCH_MIN_BYTES) for (let k = 0; k < n; k++) if (kept[k] === 1 && loop[k] === 0) sink ^= seen.touch(bHi[k], bLo[k]);
      for (let k = 0; k < n; k++) {
        fired[bChoice[k]]++;
        if (kept[k] === 0 || loop[k] === 1) continue;
        const choice = bChoice[k];
        const gen = base + k + 1;
        if (atBound) {
          if (!this.seenHas(bHi[k], bLo[k])) {
            failure = { kind: 'incomplete', reason: 'max-depth', generated: gen };
            break;
          }
          continue;
        }
        // Room for one more parent pointer and frontier slot, made before the state enters
        // the table: making it may merge the table to disk (makeRoom), which must not take
        // this state along, or the next resolve() would find it there and drop it.
        if ((parents.nextChunkBytes > 0 && !this.makeRoom(parents.nextChunkBytes)) || (nxt.full && !this.makeRoom(nxt.nextBytes))) {
          failure = { kind: 'incomplete', reason: 'memory', generated: gen };
          break;
        }
        let r = seen.put(bHi[k], bLo[k]);
        if (r === 0) continue;
        if (r < 0 && this.spillMode !== 'never') {
          // The table is full under the budget: merge it into the file and go on.
          if (this.spillFingerprints()) r = seen.put(bHi[k], bLo[k]);
        }
        if (r < 0) {
          failure = { kind: 'incomplete', reason: 'memory', generated: gen };
          break;
        }
        if (parents.size >= maxStates && this.onDisk) {
          // Judged on states known to be new, as the in-memory search judges it: the
          // tentative ones are looked up first, and this one too (it is in the table now, as
          // a state on disk found again would be).
          this.resolve();
          if (parents.size >= maxStates && this.seenOnDisk(bHi[k], bLo[k])) {
            this.dupes++;
            continue;
          }
        }
        if (parents.size >= maxStates) {
          failure = { kind: 'incomplete', reason: 'max-states', generated: gen };
          break;
        }
        const o = nxt.reserve();
        const id = parents.add(pid, choice);
        const nd = nxt.data;
        const bo = k * W;
        for (let w = 0; w < W; w++) nd[o + w] = bWords[bo + w];
        nxt.count++;
        if (nInv > 0) {
          let j: number;
          try {
            j = succ.invariantsAt(bWords, bo);
          } catch (e) {
            failure = { kind: 'error', phase: 'invariant', error: e, name: succ.invariants[succ.invariantIndex].name, site: { at: 'state', id }, generated: gen };
            break;
          }
          if (j >= 0) {
            failure = { kind: 'invariant', name: succ.invariants[j].name, id, generated: gen };
            break;
          }
        }
      }
      if (failure !== undefined) {
        generated = failure.generated;
        break;
      }
      generated = base + batch.generated;
      const stop = batch.stop;
      if (stop !== undefined) {
        if (stop.kind === 'TypeOK') failure = { kind: 'TypeOK', message: stop.message, state: stop.state, site: { at: 'step', parent: pid, choice: stop.choice }, generated };
        else if (stop.kind === 'property') failure = { kind: 'action', name: stop.name, parent: pid, choice: stop.choice, generated };
        else failure = { kind: 'error', phase: stop.phase, name: stop.name, error: stop.error, site: { at: 'step', parent: pid, choice: stop.choice }, generated };
        break;
      }
      if (n === 0 && this.deadlock) {
        try {
          if (!succ.terminalAt(data, i * W)) failure = { kind: 'deadlock', id: pid, generated };
        } catch (e) {
          failure = { kind: 'error', phase: 'terminal', error: e, site: { at: 'state', id: pid }, generated };
        }
      }
      if (onProgress && (i & 0x3fff) === 0x3fff) {
        const now = performance.now();
        if (now - this.lastProgress >= interval) {
          this.lastProgress = now;
          onProgress({ distinct: parents.size, generated, queue: levelCount - i - 1 + nxt.count, depth: this.depth, seconds: (now - this.t0) / 1000 });
        }
      }
    }
    this.generated = generated;
    this.failure = failure;
    this.sink ^= sink;
  }

  /** Moves to the next level (after the whole current level was expanded). */
  advance(): void {
    try {
      this.resolve();
      if (this.spillMode === 'always') {
        this.spillFingerprints();
        this.spillParents();
      }
    } catch (e) {
      if (!(e instanceof DiskFull)) throw e;
      this.diskFull(e);
      return;
    }
    this.firstId += this.cur.count;
    const tmp = this.cur;
    this.cur = this.nxt;
    this.nxt = tmp;
    this.nxt.clear();
    const held = this.nxt.bytes;
    this.nxt.shrink();
    this.reclaim.drop(held - this.nxt.bytes);
    this.pendingSlot = 0;
    this.pos = 0;
    if (this.cur.count > 0) this.depth++;
    this.premisesOn(this.cur);
  }

  /** Stops the run as out of memory (a store could not grow outside the level loop). */
  outOfMemory(): void {
    this.failure = { kind: 'incomplete', reason: 'memory', generated: this.generated };
  }

  result(): CheckResult<S> {
    try {
      return this.outcome();
    } finally {
      this.close();
    }
  }

  private outcome(): CheckResult<S> {
    this.resolve();
    const f = this.failure;
    // A stop from outside knows how far the level got; a failure counts its whole level.
    const queueLeft = !f ? 0 : this.stoppedAt ? this.cur.count - this.pos + this.nxt.count : this.cur.count + this.nxt.count;
    if (f && this.nxt.count > 0) this.depth++;
    const st = this.stats(queueLeft);
    if (f) this.premisesOn(this.nxt);
    const coverage = this.coverage(st);
    if (!f) return { status: 'ok', stats: st, coverage };
    return { ...verdict(this.succ, this.parents, f, st), coverage };
  }

  /** The coverage table: new states per choice from the BFS tree (whoever placed them). */
  private coverage(st: Stats): CoverageTable {
    const { tally, parents } = this;
    tally.enabled.set(tally.fired); // exhaustive search fires every enabled choice
    tally.initial = 0;
    tally.fresh.fill(0);
    parents.forEach((parent, choice) => {
      if (parent < 0) tally.initial++;
      else tally.fresh[choice]++;
    });
    tally.statesChecked = st.distinct;
    tally.stepsChecked = st.transitions;
    return tally.table();
  }

  // --- Checkpoints (store/checkpoint.ts) -------------------------------------------------

  /** What this search is of: the spec, constants, options that change the result, the state layout. */
  identity(file: string, specHash: string): Identity {
    const { succ, opts } = this;
    const inst = succ.inst;
    return {
      spec: inst.name,
      specHash,
      file,
      constants: { ...inst.constants },
      options: {
        invariants: succ.invariants.map((c) => c.name),
        properties: succ.properties.map((c) => c.name),
        deadlock: this.deadlock,
        maxStates: opts.maxStates ?? null,
        maxDepth: opts.maxDepth ?? null,
        engine: opts.engine ?? 'fast',
      },
      shape: { words: this.W, choices: inst.choices.length, compact: succ.compact },
    };
  }

  /** The stores and counters, at a level boundary or where a stop from outside left the level. */
  snapshot(): Snapshot {
    if (this.failure !== undefined && this.stoppedAt === undefined) throw new Error('Search.snapshot: the search has failed');
    this.resolve();
    const { parents, choices } = this.parents.contents();
    return {
      counters: {
        generated: this.generated,
        initGenerated: this.initGenerated,
        depth: this.depth,
        firstId: this.firstId,
        pos: this.pos,
        curCount: this.cur.count,
        nxtCount: this.nxt.count,
        seconds: this.before + (performance.now() - this.t0) / 1000,
      },
      seen: this.seenEntries(),
      parents,
      choices,
      cur: this.cur.contents(),
      nxt: this.nxt.contents(),
    };
  }

  /** The seen fingerprints as [hi, lo] pairs, each once: of a spilled search, the file's after the table is merged into it. */
  private seenEntries(): Uint32Array {
    if (!this.onDisk) return this.seen.entries();
    this.spillFingerprints();
    const keys = this.fpFile!.keys();
    if (this.seen.keyWords === 2) return keys;
    const n = this.fpFile!.size;
    const out = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) out[2 * i + 1] = (keys[i] - 1) >>> 0;
    return out;
  }

  /** Fills this new search from a snapshot (instead of `initial()`). */
  restore(snap: Snapshot): void {
    if (this.parents.size !== 0) throw new Error('Search.restore: not a new search');
    const c = snap.counters;
    const seen = snap.seen;
    for (let k = 0; k < seen.length; k += 2)
      if (this.seen.put(seen[k], seen[k + 1]) < 0) throw new OutOfMemory(`the checkpoint's ${seen.length / 2} states do not fit in the memory budget`);
    this.parents.load(snap.parents, snap.choices);
    this.cur.load(snap.cur, c.curCount);
    this.nxt.load(snap.nxt, c.nxtCount);
    this.generated = c.generated;
    this.initGenerated = c.initGenerated;
    this.depth = c.depth;
    this.firstId = c.firstId;
    this.pos = c.pos;
    this.before = c.seconds;
    this.pendingSlot = this.nxt.count;
  }

  // --- Parallel levels (parallel.ts) ------------------------------------------------------

  /** The current level as workers read it, and where the search stands (`pos`: states of it expanded). */
  frontier(): { data: SharedArrayBuffer; count: number; pos: number; firstId: number; depth: number; atBound: boolean; distinct: number; generated: number; seconds: number } {
    return {
      data: this.cur.data.buffer as SharedArrayBuffer,
      count: this.cur.count,
      pos: this.pos,
      firstId: this.firstId,
      depth: this.depth,
      atBound: this.depth >= this.maxDepth,
      distinct: this.parents.size,
      generated: this.generated,
      seconds: (performance.now() - this.t0) / 1000,
    };
  }

  /** Records that the states [0, pos) of the current level are expanded (by workers). */
  at(pos: number): void {
    this.pos = pos;
  }

  /** The shared seen-set (a search built with `shards`). */
  get sharded(): ShardedSet {
    if (!(this.seen instanceof ShardedSet)) throw new Error('Search: not built with shards');
    return this.seen;
  }

  /** Bytes the stores may still take under the budget. */
  freeBytes(): number {
    return Math.max(0, this.budget - this.storeBytes());
  }

  /**
   * Whether `candidates` more states (an upper bound on the new ones), after `planned` new
   * states not yet recorded, stay within maxStates and the memory budget, with `held` bytes
   * of candidate lists alive.
   */
  roomFor(planned: number, candidates: number, held: number): boolean {
    const seen = this.sharded;
    const total = this.parents.size + planned;
    const parentsAfter = this.parents.bytesFor(total + candidates);
    const seenGrowth = seen.bytesFor(candidates) - seen.bytes;
    const need = seenGrowth + Math.max(0, parentsAfter - this.parents.bytes) + (this.nxt.count + candidates) * this.W * 4 + held;
    if (total + candidates > this.maxStates || !this.canGrow(Math.max(0, need))) return false;
    // A table that may be merged to disk grows only into its share (canGrowSeen): otherwise
    // the level goes on in this thread, which merges it when full.
    return seenGrowth <= 0 || this.spillMode === 'never' || this.storeBytes() + need <= this.budget * SEEN_SHARE;
  }

  /** Makes room for `total` new states; returns where workers place them (state id and frontier slot). */
  reserve(total: number): { base: number; slot: number; parents: ParentBuffers; nxt: SharedArrayBuffer } {
    const base = this.parents.size;
    const slot = this.nxt.count;
    this.parents.reserve(base + total);
    this.nxt.ensure(slot + total);
    return { base, slot, parents: this.parents.buffers(), nxt: this.nxt.data.buffer as SharedArrayBuffer };
  }

  /** Records `placed` new states written by workers from `base`/`slot`, and `generated` successors computed. */
  placed(base: number, slot: number, placed: number, generated: number, fired?: readonly ArrayLike<number>[]): void {
    for (const f of fired ?? []) this.tally.addFired(f);
    this.parents.setSize(base + placed);
    this.nxt.count = slot + placed;
    this.generated += generated;
  }

  /**
   * Records an invariant that failed (or threw) on new state `id`, placed by a worker after
   * `generatedBefore` successors of this level's chunks and slices before its own; the
   * successors of its slice up to the step are recounted from the level's states
   * [from, parent] (index within the level) up to `choice`.
   */
  stopAtInvariant(id: number, slot: number, generatedBefore: number, from: number, parent: number, choice: number, invariant: number, error?: { error: unknown }): void {
    this.parents.setSize(id + 1);
    this.nxt.count = slot + 1;
    this.generated += generatedBefore + this.countGenerated(from, parent, choice);
    const name = this.succ.invariants[invariant].name;
    this.failure = error
      ? { kind: 'error', phase: 'invariant', name, error: error.error, site: { at: 'state', id }, generated: this.generated }
      : { kind: 'invariant', name, id, generated: this.generated };
  }

  /** The adopted shard tables that workers grew. */
  adoptGrown(grown: readonly [number, SharedArrayBuffer][]): void {
    if (grown.length === 0) return;
    const seen = this.sharded;
    const t = seen.buffers().tables;
    for (const [s, b] of grown) t[s] = b;
    this.reclaim.drop(seen.adoptTables(t));
  }

  /**
   * Successors computed from the states [from, parent] of the current level, up to and
   * including `choice` of the last one: the `generated` count a one-step-at-a-time search
   * has there (and the coverage tallies it has). Only for a range that was expanded without failure.
   */
  private countGenerated(from: number, parent: number, choice: number): number {
    const { succ, W } = this;
    const data = this.cur.data;
    const batch = succ.batch;
    const fired = this.tally.fired;
    let n = 0;
    for (let i = from; i <= parent; i++) {
      succ.expand(data, i * W);
      if (i < parent) {
        n += batch.generated;
        for (let k = 0; k < batch.n; k++) fired[batch.choice[k]]++;
      } else
        for (let k = 0; k < batch.n && batch.choice[k] <= choice; k++) {
          n++;
          fired[batch.choice[k]]++;
        }
    }
    return n;
  }
}
